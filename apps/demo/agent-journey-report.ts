import type { ActorClaim } from '@baton/chain/protocol';
import type { AgentJourneyResult } from './agent-journey.js';

/** How issuers are named for a person: `{ 'http://127.0.0.1:4001': 'A', … }`. */
export type DomainLabels = Readonly<Record<string, string>>;

/**
 * The journey's outcome as lines for a person: the final token's `act` nesting as a tree, its
 * chain one link per line, and what the partner API verified. Never prints a token.
 */
export function renderJourneyReport(
  result: AgentJourneyResult,
  labels: DomainLabels,
  now: number = Math.floor(Date.now() / 1000),
): string[] {
  return [
    ...renderFinalToken(result, labels),
    '',
    ...renderChain(result, labels, now),
    '',
    ...renderAnswer(result, labels),
  ];
}

function name(issuer: unknown, labels: DomainLabels): string {
  const text = String(issuer);
  const label = labels[text];
  return label === undefined ? text : `${label} (${text})`;
}

function renderFinalToken(result: AgentJourneyResult, labels: DomainLabels): string[] {
  const claims = result.final.claims;
  const jkt = (claims['cnf'] as { jkt?: string } | undefined)?.jkt;
  const everyLink = result.final.links.every((link) => link.claims.cnf.jkt === jkt);
  const binding =
    jkt !== result.agentKeyThumbprint
      ? '(NOT the agent key)'
      : everyLink
        ? '= the agent key, on the token and on every link'
        : '= the agent key, but NOT on every link';
  return [
    `Final token T2: iss ${name(claims['iss'], labels)}, aud ${name(claims['aud'], labels)}, sub ${String(claims['sub'])}`,
    `  cnf.jkt ${jkt ?? '(none)'} ${binding}`,
    '  act (outermost = the latest exchange):',
    ...renderActTree(claims['act'] as ActorClaim | undefined, labels, '  '),
  ];
}

/** RFC 8693 §4.1: one nesting level per exchange hop, outermost = the current actor. */
export function renderActTree(
  act: ActorClaim | undefined,
  labels: DomainLabels,
  indent = '',
): string[] {
  const lines: string[] = [];
  let level = act;
  let depth = 0;
  while (level !== undefined) {
    lines.push(
      `${indent}${'   '.repeat(depth)}└─ act: iss ${name(level.iss, labels)}, sub ${level.sub}`,
    );
    level = level.act;
    depth += 1;
  }
  return lines.length > 0 ? lines : [`${indent}(no act: the token was never exchanged)`];
}

function renderChain(result: AgentJourneyResult, labels: DomainLabels, now: number): string[] {
  const links = result.final.links;
  const rows = links.map(({ claims }, index) => [
    `hop ${index}`,
    `domain ${name(claims.iss, labels)}`,
    `actor ${claims.client_id}`,
    `aud ${name(claims.aud, labels)}`,
    `scope ${claims.scope}`,
    `exp ${isoSeconds(claims.exp)} (in ${claims.exp - now} s)`,
    claims.sbj === undefined ? 'origin grant' : `exchanged T${index - 1}`,
  ]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return [
    `Chain: ${links.length} links, oldest first (each signed by its domain, each with the agent's DPoP proof for that hop):`,
    ...rows.map(
      (row) =>
        `  ${row
          .map((cell, column) => cell.padEnd(widths?.[column] ?? 0))
          .join('  ')
          .trimEnd()}`,
    ),
  ];
}

interface WhoamiAnswer {
  subject?: string;
  agentKeyThumbprint?: string;
  originIssuer?: string;
  scope?: string[];
  depth?: number;
  route?: string[];
  proof?: { htm?: string; htu?: string };
}

function renderAnswer(result: AgentJourneyResult, labels: DomainLabels): string[] {
  const body = (result.resource.body ?? {}) as WhoamiAnswer;
  const route = (body.route ?? []).map((issuer) => labels[issuer] ?? issuer).join(' → ');
  return [
    `Partner API answered ${result.resource.status} — it verified the whole chain and the proof:`,
    `  subject     ${body.subject ?? '?'}`,
    `  agent key   ${body.agentKeyThumbprint ?? '?'}${body.agentKeyThumbprint === result.agentKeyThumbprint ? ' (the agent key)' : ''}`,
    `  origin      ${name(body.originIssuer, labels)}`,
    `  route       ${route} (link issuers), depth ${body.depth ?? '?'}`,
    `  scope       ${(body.scope ?? []).join(' ')}`,
    `  DPoP proof  ${body.proof?.htm ?? '?'} ${body.proof?.htu ?? '?'}`,
  ];
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
