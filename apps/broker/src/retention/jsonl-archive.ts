import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Append `records` as JSON Lines to `<dir>/<name>-<YYYY-MM-DD>.jsonl` (UTC day of `now`) and
 * fsync before returning, so rows are deleted only once their archive is on disk.
 */
export async function appendJsonLines(
  dir: string,
  name: string,
  now: number,
  records: readonly object[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const day = new Date(now * 1000).toISOString().slice(0, 10);
  const path = join(dir, `${name}-${day}.jsonl`);
  const file = await open(path, 'a', 0o600);
  try {
    await file.writeFile(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    await file.sync();
  } finally {
    await file.close();
  }
  return path;
}
