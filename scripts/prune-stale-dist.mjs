#!/usr/bin/env node
// Run by a library's `prepack` (cwd = the package): deletes the files in dist/ whose source in
// src/ no longer exists (a moved or deleted module), so a packed tarball holds only what the
// current sources compile to. Current outputs are left in place: tests that run the compiled
// library at the same time keep working, and `tsc -b` then rebuilds incrementally.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const OUTPUT = /\.(?:d\.ts\.map|d\.ts|js\.map|js)$/;
const dist = join(process.cwd(), 'dist');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* files(path);
    } else {
      yield path;
    }
  }
}

if (existsSync(dist)) {
  for (const path of files(dist)) {
    const module = relative(dist, path).replace(OUTPUT, '');
    if (OUTPUT.test(path) && !existsSync(join(process.cwd(), 'src', `${module}.ts`))) {
      rmSync(path);
      process.stderr.write(`pruned stale ${relative(process.cwd(), path)}\n`);
    }
  }
}
