#!/usr/bin/env node
// The `baton` auditor CLI. The implementation is compiled TypeScript in ../dist/cli/.
const entry = new URL('../dist/cli/main.js', import.meta.url);

let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  if (
    error?.code === 'ERR_MODULE_NOT_FOUND' &&
    String(error.message).includes('dist/cli/main.js')
  ) {
    process.stderr.write(
      'baton: the CLI is not built yet. Run `npm run build` at the repository root ' +
        '(or `npx tsc -b libs/chain`), then try again.\n',
    );
    process.exit(70);
  }
  throw error;
}

process.exitCode = await cli.main(process.argv.slice(2));
