import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import {
  dataSourceOf,
  eventsOf,
  failTokenEvents,
  verifyLogOf,
} from '../../../../test/audit/audit-support.js';
import {
  describeEachDatabase,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';
import { secretClient } from '../../../../test/token-helpers.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { SeenJtiStore, type SingleUseClaim } from '../dpop/seen-jti.store.js';
import { BrokerMetrics } from '../observability/broker-metrics.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { IssuanceWriter } from './issuance-writer.js';
import { TokenIssuer, type HopRequest } from './token-issuer.service.js';

/** A hop as a grant would hand it over; `key` names its one single-use claim. */
function hopRequest(
  domain: BrokerDomain,
  key = randomBytes(12).toString('hex'),
  sub = 'agent',
): HopRequest {
  const iat = Math.floor(Date.now() / 1000);
  const jkt = randomBytes(32).toString('base64url');
  const claim: SingleUseClaim = {
    purpose: 'dpop',
    key,
    expiresAt: iat + 300,
    refusal: () => new OAuthError('invalid_dpop_proof', `proof ${key} already used`),
  };
  return {
    grantType: GRANT_TYPE_CLIENT_CREDENTIALS,
    clientId: 'agent',
    sub,
    aud: domain.issuer,
    scope: ['read'],
    iat,
    exp: iat + 300,
    jkt,
    proof: { compact: 'e30.e30.e30', jkt, jwk: {}, jti: key, htm: 'POST', htu: domain.issuer, iat },
    singleUse: [claim],
  };
}

await describeEachDatabase('IssuanceWriter: group commit of issued tokens', (kind) => {
  let a: BrokerDomain;

  beforeAll(async () => {
    a = await startBrokerDomain({
      kind,
      configOverrides: { clients: [secretClient('agent', ['read'])] },
    });
  });
  afterAll(() => a?.close());

  const records = () => dataSourceOf(a).getRepository(IssuedTokenEntity).count();
  const unitMetrics = async () => {
    const metrics = a.app.get(BrokerMetrics);
    const value = (metric: { values: { metricName?: string; value: number }[] }, name: string) =>
      metric.values.find((sample) => sample.metricName === name)?.value ?? 0;
    const [tokens, duration] = [
      await metrics.issuanceUnitTokens.get(),
      await metrics.issuanceUnitDuration.get(),
    ];
    return {
      tokens: value(tokens, 'baton_issuance_unit_tokens_sum'),
      count: value(tokens, 'baton_issuance_unit_tokens_count'),
      timed: value(duration, 'baton_issuance_unit_duration_seconds_count'),
    };
  };

  it('writes the tokens signed while its unit waited for its turn in that unit', async () => {
    const issuer = a.app.get(TokenIssuer);
    // One token first, so the revocation slots for the rest are reserved: every unit of writes
    // below is then the writer's.
    await issuer.issue(hopRequest(a));
    const transactions = a.app.get(DatabaseTransactions);
    const writes = vi.spyOn(a.app.get(IssuanceWriter), 'write');
    const begin = transactions.writeRows.bind(transactions);
    let proceed!: () => void;
    const begun = new Promise<void>((resolve) => (proceed = resolve));
    // The first unit has its turn but waits: what it writes is taken only now.
    const run = vi
      .spyOn(transactions, 'writeRows')
      .mockImplementationOnce((plan) => begin(async (manager) => (await begun, plan(manager))));
    try {
      const first = issuer.issue(hopRequest(a));
      await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(1));
      const later = Array.from({ length: 5 }, () => issuer.issue(hopRequest(a)));
      await vi.waitFor(() => expect(writes).toHaveBeenCalledTimes(6));
      proceed();
      await Promise.all([first, ...later]);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      proceed();
      run.mockRestore();
      writes.mockRestore();
    }
  });

  it('commits tokens issued together in fewer units than tokens, each with its record and event', async () => {
    const transactions = vi.spyOn(a.app.get(DatabaseTransactions), 'writeRows');
    const [recordsBefore, eventsBefore] = [await records(), (await eventsOf(a)).length];
    const unitsBefore = await unitMetrics();
    try {
      const issuer = a.app.get(TokenIssuer);
      const issued = await Promise.all(
        Array.from({ length: 40 }, () => issuer.issue(hopRequest(a))),
      );
      expect(transactions.mock.calls.length).toBeLessThan(40);
      // The group-commit metrics count every unit and the tokens it recorded.
      const units = await unitMetrics();
      expect(units.tokens - unitsBefore.tokens).toBe(40);
      expect(units.count - unitsBefore.count).toBe(transactions.mock.calls.length);
      expect(units.timed - unitsBefore.timed).toBe(transactions.mock.calls.length);
      expect(await records()).toBe(recordsBefore + 40);
      const events = (await eventsOf(a)).slice(eventsBefore);
      expect(events.map((event) => event.jti).sort()).toEqual(
        issued.map((token) => token.claims.jti).sort(),
      );
      expect(await verifyLogOf(a)).toMatchObject({ valid: true });
    } finally {
      transactions.mockRestore();
    }
  });

  it('refuses only the replays in a batch, each with its own claim’s error; the rest commit', async () => {
    const recordsBefore = await records();
    const issuer = a.app.get(TokenIssuer);
    const requests = Array.from({ length: 12 }, () => hopRequest(a));
    const replays = [
      hopRequest(a, requests[3].singleUse[0].key),
      hopRequest(a, requests[9].singleUse[0].key),
    ];
    const outcomes = await Promise.allSettled(
      [...requests, ...replays].map((request) => issuer.issue(request)),
    );
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(2);
    const reasons = refused.map((outcome) => outcome.reason as OAuthError);
    expect(reasons.map((reason) => reason.error)).toEqual([
      'invalid_dpop_proof',
      'invalid_dpop_proof',
    ]);
    expect(reasons.map((reason) => reason.description).sort()).toEqual(
      [requests[3], requests[9]]
        .map((request) => `proof ${request.singleUse[0].key} already used`)
        .sort(),
    );
    expect(await records()).toBe(recordsBefore + 12);
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  it('accepts in a batch a claim whose earlier row expired but was not purged yet', async () => {
    const recordsBefore = await records();
    const issuer = a.app.get(TokenIssuer);
    const requests = Array.from({ length: 8 }, () => hopRequest(a));
    const [expired] = requests[5].singleUse;
    await a.app
      .get(SeenJtiStore)
      .record(dataSourceOf(a).manager, [{ ...expired, expiresAt: 1 }], 0);
    await Promise.all(requests.map((request) => issuer.issue(request)));
    expect(await records()).toBe(recordsBefore + 8);
  });

  it('rejects every token of a batch that cannot commit, and writes none of their rows', async () => {
    const [recordsBefore, eventsBefore] = [await records(), (await eventsOf(a)).length];
    const issuer = a.app.get(TokenIssuer);
    const requests = Array.from({ length: 10 }, () => hopRequest(a));
    await failTokenEvents(a, true);
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      outcomes = await Promise.allSettled(requests.map((request) => issuer.issue(request)));
    } finally {
      await failTokenEvents(a, false);
    }
    expect(outcomes.map((outcome) => outcome.status)).toEqual(requests.map(() => 'rejected'));
    expect(await records()).toBe(recordsBefore);
    expect(await eventsOf(a)).toHaveLength(eventsBefore);
    // The failed batch recorded none of its single-use claims either: the same requests now pass.
    await Promise.all(requests.map((request) => issuer.issue(request)));
    expect(await records()).toBe(recordsBefore + 10);
  });

  it('refuses only the token whose row the database refuses; the rest of its batch commits', async () => {
    const recordsBefore = await records();
    const issuer = a.app.get(TokenIssuer);
    const requests = Array.from({ length: 10 }, (_, i) =>
      hopRequest(a, undefined, i === 6 ? 'poison' : 'agent'),
    );
    await refuseRecordsOf(a, 'poison', true);
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      outcomes = await Promise.allSettled(requests.map((request) => issuer.issue(request)));
    } finally {
      await refuseRecordsOf(a, 'poison', false);
    }
    expect(outcomes.map((outcome) => outcome.status)).toEqual(
      requests.map((_, i) => (i === 6 ? 'rejected' : 'fulfilled')),
    );
    expect(await records()).toBe(recordsBefore + 9);
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });
});

/** A fault on one value: the database refuses every record whose `sub` is `sub`. */
async function refuseRecordsOf(domain: BrokerDomain, sub: string, on: boolean): Promise<void> {
  const db = dataSourceOf(domain);
  if (domain.config.database.type === 'postgres') {
    const schema = `"${domain.config.database.schema}"`;
    if (on) {
      await db.query(
        `CREATE OR REPLACE FUNCTION ${schema}.refuse_record() RETURNS trigger AS $$
           BEGIN IF NEW.sub = '${sub}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END
         $$ LANGUAGE plpgsql`,
      );
      await db.query(
        `CREATE TRIGGER refuse_record BEFORE INSERT ON ${schema}.issued_token FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse_record()`,
      );
    } else {
      await db.query(`DROP TRIGGER refuse_record ON ${schema}.issued_token`);
    }
    return;
  }
  await db.query(
    on
      ? `CREATE TRIGGER refuse_record BEFORE INSERT ON issued_token WHEN NEW.sub = '${sub}'
           BEGIN SELECT RAISE(ABORT, 'injected fault'); END`
      : 'DROP TRIGGER refuse_record',
  );
}
