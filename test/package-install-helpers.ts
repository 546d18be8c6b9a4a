/**
 * Helpers for the packaging test: pack the workspace libraries as npm would publish them, install
 * the tarballs into a scratch project outside the repository, and run README examples there.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

export interface RunOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
}

/** The environment without npm's own `npm_*` variables (a parent `npm test` must not steer npm). */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
  );
}

/** Run a command to completion; its stdout, or an error carrying its stderr. */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs, env: cleanEnv(), maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
          return;
        }
        resolvePromise(stdout);
      },
    );
  });
}

/** Why the npm registry cannot be used (undefined when `npm ping` answers). */
export async function registryUnavailableReason(cwd: string): Promise<string | undefined> {
  try {
    await run('npm', ['ping'], { cwd, timeoutMs: 20_000 });
    return undefined;
  } catch (error) {
    return `the npm registry is unreachable (npm ping: ${(error as Error).message.split('\n')[0]})`;
  }
}

/** `npm pack` of workspaces into `destination`; the tarball paths, in the order given. */
export async function packWorkspaces(
  root: string,
  workspaces: readonly string[],
  destination: string,
): Promise<string[]> {
  const args = ['pack', '--json', '--pack-destination', destination];
  const stdout = await run('npm', [...args, ...workspaces.flatMap((w) => ['-w', w])], {
    cwd: root,
    timeoutMs: 120_000,
  });
  const packed = JSON.parse(stdout) as { filename: string }[];
  return packed.map(({ filename }) => join(destination, filename));
}

/** The first fenced code block of `language` in a Markdown file. */
export async function codeBlock(markdownFile: string, language: string): Promise<string> {
  const text = await readFile(markdownFile, 'utf8');
  const match = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(text);
  if (match?.[1] === undefined) {
    throw new Error(`${markdownFile} has no \`\`\`${language} block`);
  }
  return match[1];
}

/** Replace each placeholder of an example by its test value; a placeholder that is absent throws. */
export function instantiate(code: string, replacements: readonly (readonly [string, string])[]) {
  return replacements.reduce((text, [from, to]) => {
    if (!text.includes(from)) {
      throw new Error(`the example no longer contains ${from}`);
    }
    return text.replaceAll(from, to);
  }, code);
}

/** A Node process running `file` in `cwd`, resolved once `url` answers any HTTP status. */
export async function startExample(cwd: string, file: string, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [file], { cwd, env: cleanEnv(), stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${file} exited with ${child.exitCode}:\n${output}`);
    }
    try {
      await fetch(url);
      return child;
    } catch {
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  child.kill();
  throw new Error(`${file} did not listen on ${url} within 20 s:\n${output}`);
}

/** Stop a child process and wait for it to exit. */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((done) => child.once('exit', done));
  child.kill();
  await exited;
}

/**
 * What an installed package names but does not ship: `exports` and `bin` targets, the `sources`
 * of every source map, and relative Markdown links of its README.
 */
export async function missingShippedFiles(packageDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    bin?: Record<string, string>;
  };
  const named = [
    ...exportTargets(manifest.exports).map((target) => ({ from: 'exports', target })),
    ...Object.values(manifest.bin ?? {}).map((target) => ({ from: 'bin', target })),
  ].map(({ from, target }) => ({ from, path: resolve(packageDir, target) }));
  for (const map of await filesEndingWith(packageDir, '.map')) {
    const { sources } = JSON.parse(await readFile(map, 'utf8')) as { sources: string[] };
    const from = relative(packageDir, map);
    named.push(...sources.map((source) => ({ from, path: resolve(dirname(map), source) })));
  }
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  for (const [, link] of readme.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
    if (link !== undefined && !/^[a-z]+:/i.test(link)) {
      named.push({ from: 'README.md', path: resolve(packageDir, link) });
    }
  }
  return named
    .filter(({ path }) => !existsSync(path))
    .map(({ from, path }) => `${from} names ${relative(packageDir, path)}`);
}

function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') {
    return [exports];
  }
  if (typeof exports === 'object' && exports !== null) {
    return Object.values(exports).flatMap(exportTargets);
  }
  return [];
}

async function filesEndingWith(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name));
}
