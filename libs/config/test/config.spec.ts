import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsDefined, IsOptional } from 'class-validator';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  IsBaseUrl,
  IsEndpointUrl,
  IsIssuerUrl,
  ListenSchema,
  ValidateSection,
  deepFreeze,
  keySourceIssues,
  readConfigFile,
  resolveConfigPath,
  validateConfig,
} from '@baton/config';

class ExampleSchema {
  @IsIssuerUrl()
  @IsDefined({ message: '$property is required' })
  issuer!: string;

  @IsEndpointUrl()
  @IsOptional()
  endpoint?: string;

  @IsBaseUrl()
  @IsOptional()
  base?: string;

  @ValidateSection(() => ListenSchema)
  listen?: ListenSchema;

  @ValidateSection(() => ListenSchema, { list: true })
  listeners?: ListenSchema[];
}

function issuesOf(raw: unknown): string[] {
  return validateConfig(ExampleSchema, raw, 'x.yaml').issues.map((i) => `${i.path} ${i.message}`);
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('accepts a valid value and returns it as a schema instance', () => {
    const { schema, issues } = validateConfig(
      ExampleSchema,
      { issuer: 'https://a.example', listen: { port: 1 } },
      'x.yaml',
    );
    expect(issues).toEqual([]);
    expect(schema).toBeInstanceOf(ExampleSchema);
    expect(schema.listen).toBeInstanceOf(ListenSchema);
  });

  it('names an unknown field, also inside a nested mapping', () => {
    expect(issuesOf({ issuer: 'https://a.example', extra: 1, listen: { port: 1, x: 2 } })).toEqual([
      'extra is not a known field',
      'listen.x is not a known field',
    ]);
  });

  it('names a missing field and a nested value that is not a mapping', () => {
    expect(issuesOf({ listen: 5 })).toEqual([
      'issuer is required',
      'listen must be a mapping (or a list of mappings)',
    ]);
  });

  it('validates each entry of a list section, by index', () => {
    expect(
      issuesOf({ issuer: 'https://a.example', listeners: [{ port: 1 }, { port: -1 }] }),
    ).toEqual(['listeners[1].port must not be less than 0']);
    expect(issuesOf({ issuer: 'https://a.example', listeners: { port: 1 } })).toEqual([
      'listeners must be an array',
    ]);
  });

  it('refuses a top level that is not a mapping', () => {
    expect(messageOf(() => validateConfig(ExampleSchema, ['a'], 'x.yaml'))).toBe(
      'x.yaml: must contain a mapping of settings at the top level',
    );
  });
});

describe('URL validators', () => {
  const bad = (field: string, value: string): string[] =>
    issuesOf({ issuer: 'https://a.example', [field]: value });

  it('refuses plain http off loopback, and accepts it on loopback', () => {
    expect(bad('issuer', 'http://a.example')).toEqual([
      'issuer must be an https URL (http is accepted only on loopback hosts)',
    ]);
    expect(bad('issuer', 'http://127.0.0.2:4001')).toEqual([]);
    expect(bad('endpoint', 'http://[::1]:8080/token')).toEqual([]);
  });

  it('refuses credentials, fragments and (for issuers and base URLs) a query', () => {
    expect(bad('endpoint', 'https://u:p@a.example/t')).toEqual([
      'endpoint must not contain credentials',
    ]);
    expect(bad('endpoint', 'https://a.example/t#f')).toEqual([
      'endpoint must not contain a fragment',
    ]);
    expect(bad('endpoint', 'https://a.example/t?q=1')).toEqual([]);
    expect(bad('base', 'https://a.example/?q=1')).toEqual(['base must not contain a query']);
    expect(bad('issuer', 'https://a.example?q')).toEqual([
      'issuer must not contain a query (RFC 8414 §2)',
    ]);
    expect(bad('issuer', 'https://a.example/')).toEqual(['issuer must not end with a slash']);
  });
});

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));

  it('reads YAML and JSON', () => {
    writeFileSync(join(dir, 'a.yaml'), 'issuer: https://a.example\nlisten: { port: 1 }\n');
    writeFileSync(join(dir, 'a.json'), '{"issuer": "https://a.example"}');
    expect(readConfigFile(join(dir, 'a.yaml'))).toEqual({
      issuer: 'https://a.example',
      listen: { port: 1 },
    });
    expect(readConfigFile(join(dir, 'a.json'))).toEqual({ issuer: 'https://a.example' });
  });

  it('names a missing file, an unparsable file and a duplicate key', () => {
    const missing = join(dir, 'missing.yaml');
    expect(messageOf(() => readConfigFile(missing))).toBe(`${missing}: cannot be read (ENOENT)`);
    writeFileSync(join(dir, 'broken.yaml'), 'issuer: [unclosed\n');
    expect(messageOf(() => readConfigFile(join(dir, 'broken.yaml')))).toMatch(
      /broken\.yaml: is not valid YAML or JSON: /,
    );
    writeFileSync(join(dir, 'twice.yaml'), 'a: 1\na: 2\n');
    expect(messageOf(() => readConfigFile(join(dir, 'twice.yaml')))).toMatch(
      /twice\.yaml: is not valid YAML or JSON: Map keys must be unique/,
    );
  });
});

describe('resolveConfigPath', () => {
  const options = { envVar: 'MY_CONFIG', label: 'my service' };

  it('prefers --config over the environment variable', () => {
    expect(resolveConfigPath(['--config', 'a.yaml'], { MY_CONFIG: 'b.yaml' }, options)).toBe(
      'a.yaml',
    );
    expect(resolveConfigPath(['--config=c.yaml'], {}, options)).toBe('c.yaml');
    expect(resolveConfigPath([], { MY_CONFIG: 'b.yaml' }, options)).toBe('b.yaml');
  });

  it('names the label and the variable when neither names a file', () => {
    expect(messageOf(() => resolveConfigPath([], { MY_CONFIG: '' }, options))).toBe(
      'my service: needs a configuration file: pass --config <file> or set MY_CONFIG',
    );
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and leaves Buffers alone', () => {
    const config = deepFreeze({ a: { b: [1] }, key: Buffer.from('k') });
    expect(Object.isFrozen(config.a.b)).toBe(true);
    expect(Object.isFrozen(config.key)).toBe(false);
  });
});

describe('keySourceIssues', () => {
  it('needs exactly one of jwks and discover: true', () => {
    expect(keySourceIssues({ discover: true }, 'peers[0]')).toEqual([]);
    expect(keySourceIssues({ jwks: { keys: [] } }, 'peers[0]')).toEqual([]);
    expect(keySourceIssues({ discover: false }, 'peers[0]')).toEqual([
      { path: 'peers[0]', message: 'has no keys: set jwks or discover: true' },
    ]);
    expect(keySourceIssues({ jwks: { keys: [] }, discover: true }, 'peers[0]')).toEqual([
      { path: 'peers[0]', message: 'sets both jwks and discover: true; choose one' },
    ]);
  });
});
