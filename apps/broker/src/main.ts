import { generateClientSecret, hashClientSecret } from './config/client-secret.js';
import { startBroker } from './start-broker.js';

if (process.argv.includes('--generate-client-secret')) {
  const secret = generateClientSecret();
  process.stdout.write(`secret: ${secret}\nsecretHash: ${hashClientSecret(secret)}\n`);
  process.exit(0);
}

const result = await startBroker(process.argv.slice(2), process.env, (line) =>
  process.stderr.write(`${line}\n`),
);
if ('exitCode' in result) {
  process.exit(result.exitCode);
}
