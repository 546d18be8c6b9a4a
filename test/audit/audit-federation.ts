/**
 * A three-domain federation A → B → C with an auditor on each broker, and a journey with a
 * fan-out: T1 (A, for B) is exchanged twice at B, and one branch once more inside B.
 */
import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import {
  createAgent,
  decodePayload,
  type Agent,
} from '../../libs/chain/test/fixtures/federation.js';
import { getFreePort, startBrokerDomain, type BrokerDomain } from '../support/index.js';
import {
  clientCredentials,
  exchange,
  secretAuth,
  secretClient,
  type TokenAnswer,
} from '../token-helpers.js';

export const AUDITOR_ID = 'auditor';
export const AUDITOR_SECRET = 'auditor-secret-0123456789';
export const AUDITOR_BEARER = `Bearer ${AUDITOR_ID}.${AUDITOR_SECRET}`;

export interface AuditFederation {
  a: BrokerDomain;
  b: BrokerDomain;
  c: BrokerDomain;
  agent: Agent;
  close(): Promise<void>;
}

export interface AuditJourney {
  /** T0 origin at A; T1 at A for B; T2 at B for C; T2b at B for B; T2c from T2b at B for C; T3 at C. */
  tokens: Record<'t0' | 't1' | 't2' | 't2b' | 't2c' | 't3', string>;
  jti: Record<'t0' | 't1' | 't2' | 't2b' | 't2c' | 't3', string>;
}

export async function startAuditFederation(): Promise<AuditFederation> {
  const [pa, pb, pc] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
  const [ia, ib, ic] = [pa, pb, pc].map((port) => `http://127.0.0.1:${port}`);
  const peer = (
    issuer: string,
    allowedAudiences: string[],
    extra: Record<string, unknown> = {},
  ) => ({
    issuer,
    discover: true,
    allowedScopes: ['read', 'write'],
    allowedAudiences,
    ...extra,
  });
  const auditors = [{ id: AUDITOR_ID, secret: AUDITOR_SECRET }];
  const a = await startBrokerDomain({
    issuerPort: pa,
    configOverrides: {
      clients: [secretClient('agent', ['read', 'write'])],
      peers: [peer(ib, [ic])],
      auditors,
    },
  });
  const b = await startBrokerDomain({
    issuerPort: pb,
    configOverrides: {
      clients: [secretClient('agent-b', ['read', 'write'])],
      peers: [peer(ia, [ic, ib]), peer(ic, [])],
      auditors,
    },
  });
  const c = await startBrokerDomain({
    issuerPort: pc,
    configOverrides: {
      clients: [secretClient('agent-c', ['read'])],
      peers: [peer(ib, []), peer(ia, [], { roles: ['upstream'] })],
      auditors,
    },
  });
  return {
    a,
    b,
    c,
    agent: await createAgent(),
    close: async () => {
      await Promise.all([a.close(), b.close(), c.close()]);
    },
  };
}

function tokenOf(answer: TokenAnswer): string {
  if (answer.status !== 200) {
    throw new Error(`token request refused: ${JSON.stringify(answer.body)}`);
  }
  return answer.body.access_token as string;
}

export async function runAuditJourney({ a, b, c, agent }: AuditFederation): Promise<AuditJourney> {
  const t0 = tokenOf(
    await clientCredentials(a, secretAuth('agent'), agent, { scope: 'read write' }),
  );
  const t1 = tokenOf(await exchange(a, secretAuth('agent'), agent, t0, { audience: b.issuer }));
  const t2 = tokenOf(await exchange(b, secretAuth('agent-b'), agent, t1, { audience: c.issuer }));
  const t2b = tokenOf(await exchange(b, secretAuth('agent-b'), agent, t1, { scope: 'read' }));
  const t2c = tokenOf(await exchange(b, secretAuth('agent-b'), agent, t2b, { audience: c.issuer }));
  const t3 = tokenOf(await exchange(c, secretAuth('agent-c'), agent, t2, { scope: 'read' }));
  const tokens = { t0, t1, t2, t2b, t2c, t3 };
  const jti = Object.fromEntries(
    Object.entries(tokens).map(([name, token]) => [
      name,
      decodePayload<DelegatedTokenClaims>(token).jti,
    ]),
  ) as AuditJourney['jti'];
  return { tokens, jti };
}
