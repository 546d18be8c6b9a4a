import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { CliFailure } from './cli-failure.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { readAuditorsFile } from './read-auditors-file.js';
import { readTokenInput } from './read-token-input.js';
import { isoTime, printable, tree } from './render-text.js';
import { decodeOrFail } from './run-inspect.js';
import { traceGraph, type TraceNode } from './trace-graph.js';
import { TRACE_USAGE } from './usage.js';

/**
 * `baton trace <token> --auditors <file>`: the token's chain from its origin, and every token
 * derived from any hop in any listed domain, as one tree (fan-out included). Domains are asked
 * by `(iss, jti)` through their auditor API; the token itself never leaves this machine.
 */
export async function runTrace(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, token: argument } = parseCommandLine(
    () =>
      parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          auditors: { type: 'string' },
          json: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      }),
    TRACE_USAGE,
  );
  if (values.help === true) {
    io.stdout(TRACE_USAGE);
    return EXIT_OK;
  }
  if (values.auditors === undefined) {
    throw new CliFailure(EXIT_USAGE, `--auditors <file> is required\n\n${TRACE_USAGE.trimEnd()}`);
  }
  const domains = await readAuditorsFile(values.auditors);
  const chain = decodeOrFail(await readTokenInput(argument, io));
  const { root, failures } = await traceGraph(chain, domains);
  io.stdout(
    values.json === true
      ? `${JSON.stringify({ root, failures }, null, 2)}\n`
      : renderTrace(root, failures, domains.length),
  );
  return failures.length === 0 ? EXIT_OK : EXIT_INVALID;
}

function renderTrace(root: TraceNode, failures: readonly string[], asked: number): string {
  const lines = [
    `Trace from the chain's origin; ${asked} domain(s) asked for derived tokens by (iss, jti).`,
    'The chain is decoded from the token (run `baton verify` to check it); derived tokens come',
    "from each domain's audit log.",
    '',
    ...tree([renderNode(root)]),
  ];
  if (failures.length > 0) {
    lines.push(
      '',
      'INCOMPLETE: these domains could not be asked:',
      ...failures.map((f) => `  ${printable(f)}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

function renderNode(node: TraceNode): string[] {
  const mark = node.given ? '  <== the given token' : '';
  return [
    `${printable(node.iss)}  jti ${printable(node.jti)}${mark}`,
    `  actor ${printable(node.actor ?? '-')} -> aud ${printable(node.aud ?? '-')}  scope ${printable(node.scope ?? '-')}`,
    `  ${isoTime(node.iat)} .. ${isoTime(node.exp)}  from ${printable(node.source)}`,
    ...tree(node.children.map(renderNode)),
  ];
}
