import type { DecodedChain } from '../decode-chain.js';
import type { AuditorDomain } from './read-auditors-file.js';

/** One token in the traced tree. */
export interface TraceNode {
  iss: string;
  jti: string;
  actor?: string;
  aud?: string;
  scope?: string;
  iat?: number;
  exp?: number;
  /** Where the facts come from: `chain` (the token's own links, decoded) or `log <issuer> #<seq>`. */
  source: string;
  /** On the given token's own chain (an ancestor, or the token itself). */
  onPath: boolean;
  given: boolean;
  children: TraceNode[];
}

interface DescendantAnswer {
  event: {
    seq: number;
    issuer: string | null;
    jti: string | null;
    clientId: string | null;
    parent: { iss: string | null; jti: string } | null;
    data: { aud?: string; scope?: string; iat?: number; exp?: number };
  };
  children: DescendantAnswer[];
}

const TIMEOUT_MS = 5000;
const MAX_NODES = 2000;

const key = (iss: string, jti: string): string => `${iss} ${jti}`;

/**
 * The chain from its origin down to the given token (decoded from the token itself), then every
 * token derived from any of them in any listed domain, asked of each domain's auditor API by
 * `(iss, jti)` only: the token is never sent. Returns the root and the domains that failed.
 */
export async function traceGraph(
  chain: DecodedChain,
  domains: readonly AuditorDomain[],
): Promise<{ root: TraceNode; failures: string[] }> {
  const nodes = new Map<string, TraceNode>();
  let parent: TraceNode | undefined;
  let root: TraceNode | undefined;
  chain.links.forEach((link, index) => {
    const { claims } = link;
    const node: TraceNode = {
      iss: claims.iss,
      jti: claims.jti,
      actor: claims.client_id,
      aud: claims.aud,
      scope: claims.scope,
      iat: claims.iat,
      exp: claims.exp,
      source: 'chain',
      onPath: true,
      given: index === chain.links.length - 1,
      children: [],
    };
    nodes.set(key(node.iss, node.jti), node);
    parent?.children.push(node);
    parent = node;
    root ??= node;
  });
  if (root === undefined) {
    throw new Error('the token has no links');
  }
  const failures = new Map<string, string>();
  const asked = new Set<string>();
  let frontier = [...nodes.values()];
  while (frontier.length > 0 && nodes.size < MAX_NODES) {
    const next: TraceNode[] = [];
    for (const node of frontier) {
      for (const domain of domains) {
        const askKey = `${domain.issuer} ${key(node.iss, node.jti)}`;
        if (asked.has(askKey) || failures.has(domain.issuer)) {
          continue;
        }
        asked.add(askKey);
        const answer = await askDescendants(domain, node).catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          failures.set(domain.issuer, `${domain.issuer}: ${reason}`);
          return reason;
        });
        if (typeof answer === 'string') {
          continue;
        }
        merge(answer, node, domain, nodes, asked, next);
      }
    }
    frontier = next;
  }
  return { root, failures: [...failures.values()] };
}

function merge(
  answers: readonly DescendantAnswer[],
  parent: TraceNode,
  domain: AuditorDomain,
  nodes: Map<string, TraceNode>,
  asked: Set<string>,
  added: TraceNode[],
): void {
  for (const answer of answers) {
    const { event } = answer;
    if (event.issuer === null || event.jti === null) {
      continue;
    }
    const id = key(event.issuer, event.jti);
    let node = nodes.get(id);
    if (node === undefined) {
      node = {
        iss: event.issuer,
        jti: event.jti,
        ...(event.clientId === null ? {} : { actor: event.clientId }),
        aud: event.data.aud,
        scope: event.data.scope,
        iat: event.data.iat,
        exp: event.data.exp,
        source: `log ${domain.issuer} #${event.seq}`,
        onPath: false,
        given: false,
        children: [],
      };
      nodes.set(id, node);
      parent.children.push(node);
      added.push(node);
    } else if (!node.source.includes(`log ${domain.issuer} `)) {
      node.source = `${node.source}; log ${domain.issuer} #${event.seq}`;
    }
    // The domain answered for the whole subtree below this node: no need to ask it again.
    asked.add(`${domain.issuer} ${id}`);
    merge(answer.children, node, domain, nodes, asked, added);
  }
}

async function askDescendants(domain: AuditorDomain, node: TraceNode): Promise<DescendantAnswer[]> {
  const query = new URLSearchParams({ iss: node.iss, jti: node.jti });
  const response = await fetch(`${domain.url}/audit/trace?${query.toString()}`, {
    headers: { authorization: `Bearer ${domain.credential}`, accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new Error(`auditor API answered ${response.status}`);
  }
  const body = (await response.json()) as { descendants?: unknown };
  if (!Array.isArray(body.descendants)) {
    throw new Error('auditor API answer has no descendants list');
  }
  return body.descendants as DescendantAnswer[];
}
