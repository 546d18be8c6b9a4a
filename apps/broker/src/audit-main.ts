import 'reflect-metadata';
import { runAuditCommand } from './audit/audit-command.js';

process.exitCode = await runAuditCommand(process.argv.slice(2), process.env, {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});
