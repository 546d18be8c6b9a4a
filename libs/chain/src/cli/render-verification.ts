import type { DecodedChain } from '../decode-chain.js';
import type { ChainError } from '../lib/errors.js';
import type { VerifiedChain } from '../protocol/index.js';
import { INVARIANT_NAMES } from './invariant-names.js';
import { fields, isoTime, printable, tree } from './render-text.js';

export interface VerifyContext {
  trustFile: string;
  discovery: boolean;
  audience: string;
  /** False when the audience was taken from the token itself. */
  audienceChecked: boolean;
  now: number;
  decoded: DecodedChain;
}

const NOT_CHECKED_TEXT = [
  'not checked: revocation status (no status list is consulted; expiry is checked)',
  "             a presenting request's DPoP proof (invariant 9; there is no request here)",
];

export function renderVerified(verified: VerifiedChain, context: VerifyContext): string {
  const lines = [
    `VALID  every link verified with ${printable(context.trustFile)}${context.discovery ? ' (with discovery)' : ' (offline)'}`,
    '',
    ...fields(
      [
        ['subject', printable(verified.subject)],
        ['agent key', `cnf.jkt ${printable(verified.agentKeyThumbprint)}`],
        ['origin', printable(verified.originIssuer)],
        ['audience', audienceLine(context)],
        ['scope', printable(verified.scope.join(' '))],
        ['depth', String(verified.depth)],
        // docs/chain-spec.md §4: tokens and links are named by (iss, jti); a hash is not a name.
        [
          'join key',
          `(iss, jti) = (${printable(verified.claims['iss'])}, ${printable(verified.claims['jti'])})`,
        ],
        ['as of', isoTime(context.now)],
      ],
      '  ',
    ),
    '',
    'hops',
    ...tree(
      verified.hops.map((hop) => [
        `hop ${hop.index}  ${printable(hop.domain)} -> ${printable(hop.audience)}`,
        ...fields([
          ['actor', printable(hop.actor)],
          ['scope', printable(hop.scope.join(' '))],
          ['valid', `${isoTime(hop.iat)} .. ${isoTime(hop.exp)}`],
          ['jti', printable(hop.jti)],
          [
            'subject token',
            hop.subjectToken === undefined
              ? '- (origin grant)'
              : `${printable(hop.subjectToken.iss)} jti ${printable(hop.subjectToken.jti)}`,
          ],
          ['link hash', printable(verified.linkHashes[hop.index])],
        ]),
      ]),
    ),
    '',
    ...NOT_CHECKED_TEXT,
  ];
  return `${lines.join('\n')}\n`;
}

export function renderFailure(error: ChainError, context: VerifyContext): string {
  const { link, claim, expected, actual, issuer } = error.detail;
  const linkIssuer = link === undefined ? undefined : context.decoded.links[link]?.claims.iss;
  const rows: [string, string][] = [['message', printable(error.message)]];
  if (link !== undefined) {
    rows.push(['link', `${link}${linkIssuer === undefined ? '' : ` (${printable(linkIssuer)})`}`]);
  }
  if (claim !== undefined) {
    rows.push(['claim', printable(claim)]);
  }
  if (expected !== undefined) {
    rows.push(['expected', detailValue(claim, expected)]);
  }
  if (actual !== undefined) {
    rows.push(['actual', detailValue(claim, actual)]);
  }
  if (issuer !== undefined) {
    rows.push(['issuer', printable(issuer)]);
  }
  if (error.cause instanceof Error) {
    rows.push(['cause', printable(error.cause.message)]);
  }
  rows.push(['audience', audienceLine(context)], ['as of', isoTime(context.now)]);
  const lines = [
    `INVALID  ${error.code}: invariant ${error.invariant} (${INVARIANT_NAMES[error.invariant]})`,
    '',
    ...fields(rows, '  '),
  ];
  return `${lines.join('\n')}\n`;
}

/** Times are also shown as ISO 8601 so an auditor can read them. */
function detailValue(claim: string | undefined, value: unknown): string {
  const time = claim === 'iat' || claim === 'exp' || claim === 'nbf';
  return time && typeof value === 'number' ? `${value} (${isoTime(value)})` : printable(value);
}

function audienceLine(context: VerifyContext): string {
  return context.audienceChecked
    ? printable(context.audience)
    : `${printable(context.audience)} (taken from the token: pass --audience to check it)`;
}
