import { parseArgs } from 'node:util';
import { decodeChain, type DecodedChain, type DecodedLink } from '../decode-chain.js';
import { MalformedChainError } from '../lib/errors.js';
import { CHAIN_CLAIM } from '../protocol/index.js';
import { CliFailure } from './cli-failure.js';
import type { CliIo } from './cli-io.js';
import { describeProof, type ProofDescription } from './describe-proof.js';
import { EXIT_MALFORMED, EXIT_OK, type ExitCode } from './exit-codes.js';
import { readTokenInput } from './read-token-input.js';
import { fields, isoTime, printable, tree } from './render-text.js';
import { parseCommandLine } from './parse-command-line.js';
import { INSPECT_USAGE } from './usage.js';

/** `baton inspect <token|@file|->`: draw the chain as decoded, without verifying anything. */
export async function runInspect(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, token: argument } = parseCommandLine(
    () =>
      parseArgs({
        args: [...args],
        allowPositionals: true,
        options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      }),
    INSPECT_USAGE,
  );
  if (values.help === true) {
    io.stdout(INSPECT_USAGE);
    return EXIT_OK;
  }
  const chain = decodeOrFail(await readTokenInput(argument, io));
  const proofs = await Promise.all(chain.links.map((link) => describeProof(link.claims.dpop)));
  io.stdout(
    values.json === true
      ? `${JSON.stringify(inspectionJson(chain, proofs), null, 2)}\n`
      : renderInspection(chain, proofs),
  );
  return EXIT_OK;
}

/** decodeChain, with its MalformedChainError turned into the CLI's "input malformed" status. */
export function decodeOrFail(token: string): DecodedChain {
  try {
    const chain = decodeChain(token);
    // docs/cli.md: a JWT without the Baton chain claim is not a Baton token (exit 3).
    if (!(CHAIN_CLAIM in chain.claims)) {
      throw new CliFailure(EXIT_MALFORMED, `not a Baton token: it has no ${CHAIN_CLAIM} claim`);
    }
    return chain;
  } catch (error) {
    if (error instanceof MalformedChainError) {
      const where = error.detail.link === undefined ? '' : ` (link ${error.detail.link})`;
      throw new CliFailure(EXIT_MALFORMED, `not a Baton token: ${error.message}${where}`);
    }
    throw error;
  }
}

function inspectionJson(chain: DecodedChain, proofs: readonly ProofDescription[]): unknown {
  const { [CHAIN_CLAIM]: chainClaim, ...claims } = chain.claims;
  return {
    verified: false,
    token: {
      header: chain.header,
      claims,
      chain: { v: (chainClaim as { v?: unknown } | undefined)?.v, depth: chain.links.length },
    },
    links: chain.links.map((link, index) => {
      const { dpop: _compactProof, ...linkClaims } = link.claims;
      return {
        index,
        hash: link.hash,
        header: link.header,
        claims: linkClaims,
        proof: proofs[index],
      };
    }),
  };
}

function renderInspection(chain: DecodedChain, proofs: readonly ProofDescription[]): string {
  const { header, claims } = chain;
  const lines = [
    'Baton token, decoded only: NOTHING HERE IS VERIFIED (use `baton verify`)',
    '',
    `token  typ ${printable(header['typ'])}  alg ${printable(header['alg'])}  kid ${printable(header['kid'])}`,
    ...fields(
      [
        ['iss', printable(claims['iss'])],
        ['sub', printable(claims['sub'])],
        ['aud', printable(claims['aud'])],
        ['client_id', printable(claims['client_id'])],
        ['scope', printable(claims['scope'])],
        ['iat', isoTime(claims['iat'])],
        ['exp', isoTime(claims['exp'])],
        ['jti', printable(claims['jti'])],
        ['cnf.jkt', printable((claims['cnf'] as { jkt?: unknown } | undefined)?.jkt)],
        ['act', describeAct(claims['act'])],
      ],
      '  ',
    ),
    '',
    chain.links.length === 0
      ? 'chain  none (an unchained token)'
      : `chain  ${chain.links.length} link(s), oldest first`,
    ...tree(
      chain.links.map((link, index) =>
        renderLink(link, index, proofs[index] ?? { unreadable: 'missing' }),
      ),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function renderLink(link: DecodedLink, index: number, proof: ProofDescription): string[] {
  const { claims, header } = link;
  const origin = claims.sbj === undefined ? '  (origin grant)' : '  (exchange)';
  return [
    `hop ${index}  ${printable(claims.iss)}${origin}`,
    ...fields([
      ['actor', printable(claims.client_id)],
      ['audience', printable(claims.aud)],
      ['subject', printable(claims.sub)],
      ['scope', printable(claims.scope)],
      ['iat', isoTime(claims.iat)],
      ['exp', isoTime(claims.exp)],
      ['jti', printable(claims.jti)],
      ['agent key', `cnf.jkt ${printable(claims.cnf?.jkt)}`],
      ['signed by', `kid ${printable(header['kid'])} (${printable(header['alg'])})`],
      [
        'subject token',
        claims.sbj === undefined
          ? '-'
          : `${printable(claims.sbj.iss)} jti ${printable(claims.sbj.jti)} hash ${printable(claims.sbj.hash)}`,
      ],
      ['hop proof', describeProofLine(proof, claims.cnf?.jkt)],
      ['prev', printable(claims.prev ?? '-')],
      ['hash', link.hash],
    ]),
  ];
}

function describeProofLine(proof: ProofDescription, jkt: unknown): string {
  if (proof.unreadable !== undefined) {
    return `unreadable (${proof.unreadable})`;
  }
  const key =
    proof.jkt === undefined
      ? 'no embedded key'
      : proof.jkt === jkt
        ? 'key = cnf.jkt'
        : 'key DIFFERS from cnf.jkt';
  return `${printable(proof.htm)} ${printable(proof.htu)} at ${isoTime(proof.iat)}, ${key}`;
}

/** `agent@b (https://b) <- agent (https://a)`: outermost (latest) exchange first. */
export function describeAct(act: unknown): string {
  const levels: string[] = [];
  let level = act;
  while (typeof level === 'object' && level !== null && levels.length < 64) {
    const { iss, sub, act: inner } = level as { iss?: unknown; sub?: unknown; act?: unknown };
    levels.push(`${printable(sub)} (${printable(iss)})`);
    level = inner;
  }
  return levels.length === 0 ? '-' : levels.join(' <- ');
}
