import { startBroker } from './start-broker.js';

const result = await startBroker(process.argv.slice(2), process.env, (line) =>
  process.stderr.write(`${line}\n`),
);
if ('exitCode' in result) {
  process.exit(result.exitCode);
}
