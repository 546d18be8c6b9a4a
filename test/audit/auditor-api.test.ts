import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog, type ChainedEvent } from '../../apps/broker/src/audit/verify-audit-log.js';
import type { AuditExportHeader } from '../../apps/broker/src/audit/audit-events.service.js';
import type {
  DescendantNode,
  TokenTrace,
} from '../../apps/broker/src/audit/audit-trace.service.js';
import { SECRET } from '../token-helpers.js';
import {
  AUDITOR_BEARER,
  AUDITOR_ID,
  AUDITOR_SECRET,
  runAuditJourney,
  startAuditFederation,
  type AuditFederation,
  type AuditJourney,
} from './audit-federation.js';

async function call(
  url: string,
  authorization: string | undefined,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers; text: string }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // JSON Lines or empty
  }
  return { status: response.status, body, headers: response.headers, text };
}

const shape = (nodes: DescendantNode[]): unknown[] =>
  nodes.map((node) => ({ jti: node.event.jti, children: shape(node.children) }));

describe('the auditor API over real HTTP, three domains with a fan-out', () => {
  let fed: AuditFederation;
  let journey: AuditJourney;

  beforeAll(async () => {
    fed = await startAuditFederation();
    journey = await runAuditJourney(fed);
  }, 60_000);
  afterAll(() => fed?.close());

  it('refuses anonymous calls and client credentials with RFC 6750 challenges', async () => {
    const url = `${fed.b.url}/audit/events`;
    const anonymous = await call(url, undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="baton-audit"');
    const clientBasic = `Basic ${Buffer.from(`agent-b:${SECRET}`).toString('base64')}`;
    for (const credential of [
      clientBasic,
      `Bearer agent-b.${SECRET}`,
      `DPoP ${journey.tokens.t2}`,
      `Bearer ${journey.tokens.t2}`,
      `Bearer ${AUDITOR_ID}.wrong-secret-0123456789`,
    ]) {
      const refused = await call(url, credential);
      expect(refused.status, credential.slice(0, 20)).toBe(401);
      expect(refused.body.error).toBe('invalid_token');
      expect(refused.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="baton-audit", error="invalid_token", error_description="[^"]+"$/,
      );
      expect(refused.text).not.toContain(journey.tokens.t2);
    }
    const basic = `Basic ${Buffer.from(`${AUDITOR_ID}:${AUDITOR_SECRET}`).toString('base64')}`;
    expect((await call(url, basic)).status).toBe(200);
  });

  it('traces a token at B: ancestors verified from its chain, every descendant here, the fan-out included', async () => {
    const trace = (
      await call(`${fed.b.url}/audit/trace`, AUDITOR_BEARER, {
        method: 'POST',
        body: { token: journey.tokens.t1 },
      })
    ).body as unknown as TokenTrace;
    expect(trace.verification).toMatchObject({ verified: true });
    expect(trace.token).toEqual({ iss: fed.a.issuer, jti: journey.jti.t1 });
    expect(trace.ancestors.map((hop) => [hop.iss, hop.jti])).toEqual([
      [fed.a.issuer, journey.jti.t0],
    ]);
    expect(trace.hop).toMatchObject({ iss: fed.a.issuer, aud: fed.b.issuer, actor: 'agent' });
    expect(trace.record).toBeNull();
    expect(shape(trace.descendants)).toEqual([
      { jti: journey.jti.t2, children: [] },
      { jti: journey.jti.t2b, children: [{ jti: journey.jti.t2c, children: [] }] },
    ]);
    expect(trace.descendants[0].event).toMatchObject({
      issuer: fed.b.issuer,
      clientId: 'agent-b',
      parent: { iss: fed.a.issuer, jti: journey.jti.t1 },
      data: {
        aud: fed.c.issuer,
        depth: 3,
        chainIssuers: [fed.a.issuer, fed.a.issuer, fed.b.issuer],
      },
    });
    expect(trace.sources.ancestors).toMatch(/verified cryptographically/);
    expect(trace.sources.descendants).toMatch(/audit log/);
  });

  it('traces the origin token at A with its record and the derived token, and C by (iss, jti)', async () => {
    const atA = (
      await call(`${fed.a.url}/audit/trace`, AUDITOR_BEARER, {
        method: 'POST',
        body: { token: journey.tokens.t0 },
      })
    ).body as unknown as TokenTrace;
    expect(atA.verification?.verified).toBe(true);
    expect(atA.ancestors).toEqual([]);
    expect(atA.record).toMatchObject({ kind: 'token.issued', jti: journey.jti.t0, parent: null });
    expect(shape(atA.descendants)).toEqual([{ jti: journey.jti.t1, children: [] }]);
    const query = new URLSearchParams({ iss: fed.b.issuer, jti: journey.jti.t2 });
    const atC = (await call(`${fed.c.url}/audit/trace?${query.toString()}`, AUDITOR_BEARER))
      .body as unknown as TokenTrace;
    expect(atC.verification).toBeNull();
    expect(shape(atC.descendants)).toEqual([{ jti: journey.jti.t3, children: [] }]);
    expect(atC.sources.descendants).toMatch(/audit log/);
  });

  it('reports a chain that fails verification, naming the invariant', async () => {
    const [header, payload, signature] = journey.tokens.t2.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    const trace = (
      await call(`${fed.b.url}/audit/trace`, AUDITOR_BEARER, {
        method: 'POST',
        body: { token: forged },
      })
    ).body as unknown as TokenTrace;
    expect(trace.verification).toMatchObject({ verified: false, error: { code: 'ERR_SIGNATURE' } });
    expect(trace.sources.ancestors).toMatch(/FAILED/);
  });

  it('queries events by agent key, client and time window with cursor pagination', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({
        kind: 'token.issued',
        cnf_jkt: fed.agent.jkt,
        limit: '2',
        ...(cursor === undefined ? {} : { cursor }),
      });
      const page = (await call(`${fed.b.url}/audit/events?${query.toString()}`, AUDITOR_BEARER))
        .body;
      const events = page.events as { jti: string }[];
      expect(events.length).toBeLessThanOrEqual(2);
      seen.push(...events.map((event) => event.jti));
      cursor = page.nextCursor as string | undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual([journey.jti.t2, journey.jti.t2b, journey.jti.t2c]);
    const byClient = await call(
      `${fed.c.url}/audit/events?client_id=agent-c&kind=token.issued`,
      AUDITOR_BEARER,
    );
    expect((byClient.body.events as { jti: string }[]).map((event) => event.jti)).toEqual([
      journey.jti.t3,
    ]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const empty = await call(`${fed.b.url}/audit/events?since=${future}`, AUDITOR_BEARER);
    expect(empty.body.events).toEqual([]);
    const bad = await call(`${fed.b.url}/audit/events?since=yesterday`, AUDITOR_BEARER);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
  });

  it('exports the log as JSON Lines that verify on their own, with the key archive', async () => {
    const exported = await call(`${fed.b.url}/audit/export`, AUDITOR_BEARER);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^application\/jsonl/);
    const [first, ...rest] = exported.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    const header = first as AuditExportHeader;
    expect(header).toMatchObject({ type: 'baton.audit-export', issuer: fed.b.issuer });
    expect(header.trust.jwks.keys.length).toBeGreaterThan(0);
    const events = rest as ChainedEvent[];
    expect(
      verifyAuditLog(events, {
        anchorSeq: header.anchor.seq,
        anchorHash: header.anchor.hash,
        headSeq: header.head.seq,
        headHash: header.head.hash,
      }),
    ).toMatchObject({ valid: true, events: header.head.seq });
    expect(exported.text).not.toContain(journey.tokens.t2);
  });
});
