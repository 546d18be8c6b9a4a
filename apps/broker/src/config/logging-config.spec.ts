import { ConfigError } from '@baton/config';
import { describe, expect, it } from 'vitest';
import { parseBrokerConfig } from './parse-broker-config.js';

const base = { mode: 'demo', issuer: 'http://127.0.0.1:4001', listen: { port: 4001 } };

function parse(raw: object, env: Record<string, string> = {}) {
  return parseBrokerConfig({ ...base, ...raw }, { source: 'a.yaml', env });
}

function issues(raw: object, env: Record<string, string> = {}): string[] {
  try {
    parse(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('logging and metrics configuration', () => {
  it('logs at info by default, at logging.level when set, at BATON_LOG_LEVEL above both', () => {
    expect(parse({}).logging).toEqual({ level: 'info' });
    expect(parse({ logging: { level: 'warn' } }).logging).toEqual({ level: 'warn' });
    expect(parse({ logging: { level: 'warn' } }, { BATON_LOG_LEVEL: 'debug' }).logging).toEqual({
      level: 'debug',
    });
  });

  it('refuses an unknown level in the file or the environment, by name', () => {
    expect(issues({ logging: { level: 'verbose' } })).toEqual([
      'a.yaml: logging.level must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(issues({}, { BATON_LOG_LEVEL: 'loud' })).toEqual([
      'a.yaml: BATON_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('serves metrics only when a metrics listener is configured', () => {
    expect(parse({}).metrics).toBeUndefined();
    expect(parse({ metrics: { listen: { port: 9464 } } }).metrics).toEqual({
      listen: { host: '127.0.0.1', port: 9464 },
    });
    expect(issues({ metrics: {} })).toEqual(['a.yaml: metrics.listen is required']);
  });
});
