import { join } from 'node:path';
import { loadBrokerConfigFile } from '../broker/src/config/load-broker-config-file.js';
import type { DemoProcess } from './demo-process.js';

/** The demo federation's brokers: one process per domain, each from its config file. */
export const DEMO_DOMAINS = ['a', 'b', 'c'] as const;

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
    args: [join('dist', 'apps', 'broker', 'src', 'main.js'), '--config', file],
    readyUrl: `http://${config.listen.host}:${config.listen.port}/health/ready`,
    announce: `domain ${name.toUpperCase()}: issuer ${config.issuer}`,
    issuer: config.issuer,
  };
}

/**
 * Every process the demo starts, in order. Extension point: append other processes here
 * (the resource server of domain C, for instance); each is started, awaited on its readyUrl,
 * announced, and stopped on Ctrl-C.
 */
export function demoProcesses(root: string): DemoProcess[] {
  return DEMO_DOMAINS.map((name) => brokerProcess(root, name));
}
