/**
 * Text rendering for the CLI. Every value printed may come from an untrusted token, so control
 * characters (terminal escape sequences included) are shown escaped, never written raw.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** A string safe to write to a terminal: C0/C1 controls and DEL become `\u{..}` escapes. */
export function printable(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Epoch seconds as an ISO 8601 UTC time (`2025-01-01T00:00:00Z`), or the raw value if not a time. */
export function isoTime(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return printable(value ?? '-');
  }
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('.000Z', 'Z');
}

/** `label  value` rows with the labels padded to one column. */
export function fields(rows: readonly (readonly [string, string])[], indent = ''): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`);
}

/** Draw sibling blocks as a tree: the first line of each block on a branch, the rest under it. */
export function tree(blocks: readonly (readonly string[])[]): string[] {
  return blocks.flatMap((block, index) => {
    const last = index === blocks.length - 1;
    const [head = '', ...body] = block;
    return [
      `${last ? '└─' : '├─'} ${head}`,
      ...body.map((line) => `${last ? '   ' : '│  '}${line}`),
    ];
  });
}
