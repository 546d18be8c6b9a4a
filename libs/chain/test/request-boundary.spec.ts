import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('@baton/chain dependency boundary', () => {
  it('imports only jose, node: built-ins and its own files, so it never pulls NestJS', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const specifier = match[1];
        if (!(specifier === 'jose' || specifier.startsWith('node:') || specifier.startsWith('.'))) {
          offenders.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(sources(SRC).length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
