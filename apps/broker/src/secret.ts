import { clientSecretCommand } from './config/client-secret-command.js';

try {
  process.stdout.write(clientSecretCommand(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
