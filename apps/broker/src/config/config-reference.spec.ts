import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFieldPaths } from '../../../../test/support/schema-field-paths.js';
import { BrokerConfigSchema } from './schema/broker-config.schema.js';

const OPERATIONS = new URL('../../../../docs/operations.md', import.meta.url);

/** The field paths in the first column of the first table under `## Configuration reference`. */
function documentedFields(markdown: string): string[] {
  const section = markdown
    .split(/^## /m)
    .find((part) => part.startsWith('Configuration reference'));
  if (section === undefined) {
    throw new Error('docs/operations.md has no "## Configuration reference" section');
  }
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const table = lines.slice(
    first,
    lines.findIndex((line, i) => i > first && !line.startsWith('|')),
  );
  return table
    .map((line) => /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1])
    .filter((field): field is string => field !== undefined);
}

describe('the configuration reference in docs/operations.md', () => {
  const documented = documentedFields(readFileSync(OPERATIONS, 'utf8'));
  const schema = schemaFieldPaths(BrokerConfigSchema);

  it('documents every field the schema accepts', () => {
    expect(schema.filter((field) => !documented.includes(field))).toEqual([]);
  });

  it('documents no field the schema does not accept, and each once', () => {
    expect(documented.filter((field) => !schema.includes(field))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('reads nested sections and lists from the schema', () => {
    expect(schema).toEqual(
      expect.arrayContaining(['listen.port', 'clients[].secretHash', 'metrics.listen.port']),
    );
  });
});
