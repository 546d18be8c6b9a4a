import { join } from 'node:path';
import { loadBrokerConfigFile } from '../broker/src/config/load-broker-config-file.js';
import { loadResourceServerConfigFile } from '../resource-server/src/config/load-resource-server-config-file.js';
import type { DemoProcess } from './demo-process.js';
import { SERVER_NODE_FLAGS } from './server-node-flags.js';

/** The demo federation's brokers: one process per domain, each from its config file. */
export const DEMO_DOMAINS = ['a', 'b', 'c'] as const;

/** Domain C's partner API configuration, relative to the repository root. */
export const RESOURCE_SERVER_CONFIG_FILE = 'config/resource-server.yaml';

/** A broker child process for `config/<name>.yaml` (validated here first, so a bad file fails fast). */
export function brokerProcess(
  root: string,
  name: string,
): DemoProcess & { readonly issuer: string } {
  const file = join('config', `${name}.yaml`);
  const config = loadBrokerConfigFile(join(root, file), {});
  return {
    name,
    command: process.execPath,
    args: [
      ...SERVER_NODE_FLAGS,
      join('dist', 'apps', 'broker', 'src', 'main.js'),
      '--config',
      file,
      '--quiet',
    ],
    listens: [config.listen, ...(config.metrics ? [config.metrics.listen] : [])],
    readyUrl: `http://${config.listen.host}:${config.listen.port}/health/ready`,
    announce: `domain ${name.toUpperCase()}: issuer ${config.issuer}`,
    issuer: config.issuer,
  };
}

/** Domain C's partner API (apps/resource-server), validated here first like the brokers. */
export function resourceServerProcess(root: string): DemoProcess {
  const config = loadResourceServerConfigFile(join(root, RESOURCE_SERVER_CONFIG_FILE));
  return {
    name: 'rs',
    command: process.execPath,
    args: [
      ...SERVER_NODE_FLAGS,
      join('dist', 'apps', 'resource-server', 'src', 'main.js'),
      '--config',
      RESOURCE_SERVER_CONFIG_FILE,
      '--quiet',
    ],
    listens: [config.listen, ...(config.metrics ? [config.metrics.listen] : [])],
    readyUrl: `http://${config.listen.host}:${config.listen.port}/health`,
    announce: `partner API of domain C: ${config.publicBaseUrl} (accepts tokens for ${config.audience.join(', ')})`,
  };
}

/**
 * Every process the demo starts, in order: the three brokers, then domain C's partner API.
 * Each is started, awaited on its readyUrl, announced, and stopped on Ctrl-C.
 */
export function demoProcesses(root: string): DemoProcess[] {
  return [...DEMO_DOMAINS.map((name) => brokerProcess(root, name)), resourceServerProcess(root)];
}
