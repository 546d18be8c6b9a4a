/**
 * `npm run bench`: Baton against panva's oidc-provider on loopback, in interleaved rounds, and
 * verifyChain against the node:crypto floor in process. Prints each target's ratio and whether
 * it is met, and writes docs/performance.md. Unattended, bounded in requests and time.
 *
 *   npm run bench                 # 5 rounds (about 7 minutes on 2 cores; 15 when the shared machine is loaded)
 *   npm run bench -- --quick      # a smoke run; writes its report to the temp dir instead
 *   BATON_BENCH_PROFILES=dir npm run bench   # also keeps the raw .cpuprofile files in dir
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { runLoad, type LoadResult, type PreparedRequest } from './lib/load.js';
import { summarizeProfile, type ProfileSummary } from './lib/profile-summary.js';
import {
  accessTokensOf,
  exchangeRequests,
  issuanceRequests,
  plainRequests,
  resourceRequests,
} from './lib/requests.js';
import { startFederation, type Federation } from './lib/setup.js';
import { joseFloorMicros } from './lib/jose-floor.js';
import { writeReport, type BenchResults, type Rate } from './lib/report.js';
import { judge, median, type Target } from './lib/stats.js';
import { chainCase, timeInterleaved, type ChainCase } from './lib/verify-chain-floor.js';
import { measureWriteCost } from './lib/write-cost.js';
import type { Server } from './lib/processes.js';

const QUICK = process.argv.includes('--quick');
/** `BATON_BENCH_PROFILES=<dir>` keeps each profile (open it in Chrome DevTools or speedscope). */
const PROFILE_DIR = process.env.BATON_BENCH_PROFILES;
const SETTINGS = {
  /** Medians of 5: a single round on this shared machine moves ±15% on the same build. */
  rounds: QUICK ? 3 : 5,
  /** A phase at c=16 lasts 1–4 s: shorter ones moved with every hiccup of the shared machine. */
  requestsPerPhase: QUICK ? 150 : 2000,
  concurrency: 16,
  rssConcurrency: 64,
  rssSeconds: QUICK ? 10 : 60,
  rssWarmupSeconds: QUICK ? 5 : 20,
  chainIterations: QUICK ? 40 : 150,
  floorIterations: QUICK ? 100 : 300,
  /** Passes over every concurrency of the scaling table: a cell is the median of this many phases. */
  scalingPasses: QUICK ? 1 : 3,
  /** Requests per kind before the rounds, for every server alike (JIT and caches settle). */
  warmupRequests: QUICK ? 150 : 2000,
};
const DOC = fileURLToPath(new URL('../../../docs/performance.md', import.meta.url));

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function phase(
  name: string,
  requests: PreparedRequest[],
  concurrency = SETTINGS.concurrency,
) {
  const result = await runLoad(requests, concurrency, { keepBodies: true, deadlineMs: 90_000 });
  const refused = result.count - result.ok;
  log(
    `  ${name.padEnd(34)} ${result.rps.toFixed(0).padStart(6)}/s  p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms` +
      (refused > 0 ? `  REFUSED ${refused}: ${result.firstRefusal ?? ''}` : ''),
  );
  return result;
}

async function cpuDuring(server: Server, run: () => Promise<LoadResult>) {
  const before = await server.sample();
  const result = await run();
  const after = await server.sample();
  return { result, cpuMicrosPerOk: (after.cpuMicros - before.cpuMicros) / Math.max(1, result.ok) };
}

/** Two systems measured one after the other, the order alternating by round. */
async function pair<B, P>(
  round: number,
  baton: () => Promise<B>,
  peer: () => Promise<P>,
): Promise<{ baton: B; peer: P }> {
  if (round % 2 === 0) {
    const b = await baton();
    return { baton: b, peer: await peer() };
  }
  const p = await peer();
  return { baton: await baton(), peer: p };
}

/** Broker A's group-commit totals so far (the `baton_issuance_unit_*` histograms). */
async function unitTotals(fed: Federation) {
  const text = await (await fetch(fed.aMetricsUrl)).text();
  const total = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return {
    units: total('baton_issuance_unit_tokens_count'),
    tokens: total('baton_issuance_unit_tokens_sum'),
    seconds: total('baton_issuance_unit_duration_seconds_sum'),
  };
}

/** `run` at broker A (SQLite), with its CPU per token and the units that recorded its tokens. */
async function withUnits(fed: Federation, run: () => Promise<LoadResult>) {
  const before = await unitTotals(fed);
  const measured = await cpuDuring(fed.a, run);
  const after = await unitTotals(fed);
  const units = after.units - before.units;
  return {
    ...measured,
    tokensPerUnit: (after.tokens - before.tokens) / units,
    msPerUnit: ((after.seconds - before.seconds) * 1000) / units,
  };
}

interface RoundValues {
  [series: string]: number[];
}

async function runRounds(fed: Federation, cases: ChainCase[]): Promise<RoundValues> {
  const values: RoundValues = {};
  const add = (series: string, value: number) => (values[series] ??= []).push(value);
  const n = SETTINGS.requestsPerPhase;
  const { agent } = fed;
  for (let round = 0; round < SETTINGS.rounds; round += 1) {
    log(`round ${round + 1}/${SETTINGS.rounds}`);
    const jwt = await pair(
      round,
      () =>
        withUnits(fed, () =>
          phase(
            'baton issue private_key_jwt sqlite',
            issuanceRequests(fed.a, agent, n, { kind: 'private_key_jwt' }),
          ),
        ),
      () =>
        cpuDuring(fed.peer, () =>
          phase(
            'peer  issue private_key_jwt',
            issuanceRequests(fed.peer, agent, n, { kind: 'private_key_jwt' }),
          ),
        ),
    );
    add('issue.jwt.sqlite', jwt.baton.result.rps / jwt.peer.result.rps);
    add('rps.issue.jwt.sqlite', jwt.baton.result.rps);
    add('rps.issue.jwt.peer', jwt.peer.result.rps);
    add('cpu.issue.jwt.sqlite', jwt.baton.cpuMicrosPerOk);
    add('cpu.issue.jwt.peer', jwt.peer.cpuMicrosPerOk);
    add('unit.tokens.issue.jwt.sqlite', jwt.baton.tokensPerUnit);
    add('unit.ms.issue.jwt.sqlite', jwt.baton.msPerUnit);
    if (fed.aPostgres !== undefined) {
      const pg = fed.aPostgres;
      const jwtPg = await pair(
        round,
        () =>
          phase(
            'baton issue private_key_jwt postgres',
            issuanceRequests(pg, agent, n, { kind: 'private_key_jwt' }),
          ),
        () =>
          phase(
            'peer  issue private_key_jwt',
            issuanceRequests(fed.peer, agent, n, { kind: 'private_key_jwt' }),
          ),
      );
      add('issue.jwt.postgres', jwtPg.baton.rps / jwtPg.peer.rps);
      add('rps.issue.jwt.postgres', jwtPg.baton.rps);
    }
    const basic = await pair(
      round,
      () =>
        phase(
          'baton issue client_secret_basic',
          issuanceRequests(fed.a, agent, n, { kind: 'client_secret_basic', secret: fed.secret }),
        ),
      () =>
        phase(
          'peer  issue client_secret_basic',
          issuanceRequests(fed.peer, agent, n, { kind: 'client_secret_basic', secret: fed.secret }),
        ),
    );
    add('issue.basic', basic.baton.rps / basic.peer.rps);
    add('rps.issue.basic', basic.baton.rps);
    add('rps.issue.basic.peer', basic.peer.rps);

    const hop1 = await pair(
      round,
      () =>
        cpuDuring(fed.a, () =>
          phase(
            'baton exchange depth 1 (at A)',
            exchangeRequests(fed.a, agent, accessTokensOf(jwt.baton.result.bodies), fed.b.url),
          ),
        ),
      () =>
        cpuDuring(fed.peer, () =>
          phase(
            'peer  exchange depth 1',
            exchangeRequests(
              fed.peer,
              agent,
              accessTokensOf(jwt.peer.result.bodies),
              'urn:bench:hop1',
            ),
          ),
        ),
    );
    add('exchange.1', hop1.baton.result.rps / hop1.peer.result.rps);
    add('rps.exchange.1', hop1.baton.result.rps);
    add('cpu.exchange.1', hop1.baton.cpuMicrosPerOk);
    add('cpu.exchange.1.peer', hop1.peer.cpuMicrosPerOk);
    const hop2 = await pair(
      round,
      () =>
        cpuDuring(fed.b, () =>
          phase(
            'baton exchange depth 2 (at B)',
            exchangeRequests(
              fed.b,
              agent,
              accessTokensOf(hop1.baton.result.bodies),
              fed.partnerAudience,
            ),
          ),
        ),
      () =>
        cpuDuring(fed.peer, () =>
          phase(
            'peer  exchange depth 2',
            exchangeRequests(
              fed.peer,
              agent,
              accessTokensOf(hop1.peer.result.bodies),
              'urn:bench:hop2',
            ),
          ),
        ),
    );
    add('exchange.2', hop2.baton.result.rps / hop2.peer.result.rps);
    add('rps.exchange.2', hop2.baton.result.rps);
    add('cpu.exchange.2', hop2.baton.cpuMicrosPerOk);
    add('cpu.exchange.2.peer', hop2.peer.cpuMicrosPerOk);

    const depth3 = accessTokensOf(hop2.baton.result.bodies).slice(0, 16);
    const api = fed.partnerApi.url;
    const partner = await pair(
      round,
      () =>
        phase(
          'partner API /api/whoami depth 3',
          resourceRequests(api, '/api/whoami', agent, depth3, n),
        ),
      () => phase('partner API /health', plainRequests(`${api}/health`, n)),
    );
    add('partner.whoami', partner.baton.rps / partner.peer.rps);
    add('rps.partner.whoami', partner.baton.rps);
    add('rps.partner.health', partner.peer.rps);

    add('floor.jose.exchange.1', await joseFloorMicros(5, 2, SETTINGS.floorIterations));
    add('floor.jose.exchange.2', await joseFloorMicros(7, 2, SETTINGS.floorIterations));
    for (const c of cases) {
      const { floor, cold, warm } = await timeInterleaved(c, SETTINGS.chainIterations);
      add(`chain.${c.depth}.floor`, floor);
      add(`chain.${c.depth}.cold`, cold / floor);
      add(`chain.${c.depth}.warm`, warm / floor);
      log(
        `  verifyChain depth ${c.depth}: floor ${(floor * 1000).toFixed(0)} us, cold ${(cold / floor).toFixed(2)}x, warm ${(warm / floor).toFixed(2)}x`,
      );
    }
  }
  const cpu = (depth: number) =>
    values[`cpu.exchange.${depth}`].map((v, i) => v / values[`floor.jose.exchange.${depth}`][i]);
  values['cpu.exchange.1.ratio'] = cpu(1);
  values['cpu.exchange.2.ratio'] = cpu(2);
  return values;
}

/**
 * Every kind of request the rounds send, `n` of each at the rounds' concurrency, to Baton's
 * servers and to the peer alike: both are measured warm (their JIT has compiled the hot paths,
 * their caches hold the keys), as a long-running server is. Throws if a warm-up is refused.
 */
async function warmUp(fed: Federation, n: number): Promise<void> {
  log(`warm-up: ${n} requests of each kind, to every server`);
  const c = SETTINGS.concurrency;
  const { agent, secret } = fed;
  const must = async (name: string, requests: PreparedRequest[]) => {
    const result = await runLoad(requests, c, { keepBodies: true, deadlineMs: 90_000 });
    if (result.ok < requests.length) {
      throw new Error(`warm-up ${name} refused: ${result.firstRefusal ?? ''}`);
    }
    return accessTokensOf(result.bodies);
  };
  const issued = await must(
    'issue',
    issuanceRequests(fed.a, agent, n, { kind: 'private_key_jwt' }),
  );
  if (fed.aPostgres !== undefined) {
    await must(
      'issue postgres',
      issuanceRequests(fed.aPostgres, agent, n, { kind: 'private_key_jwt' }),
    );
  }
  await must(
    'issue basic',
    issuanceRequests(fed.a, agent, n, { kind: 'client_secret_basic', secret }),
  );
  const hop1 = await must('exchange 1', exchangeRequests(fed.a, agent, issued, fed.b.url));
  const hop2 = await must('exchange 2', exchangeRequests(fed.b, agent, hop1, fed.partnerAudience));
  await must(
    'partner',
    resourceRequests(fed.partnerApi.url, '/api/whoami', agent, hop2.slice(0, 16), n),
  );
  await must('partner health', plainRequests(`${fed.partnerApi.url}/health`, n));
  const peerIssued = await must(
    'peer issue',
    issuanceRequests(fed.peer, agent, n, { kind: 'private_key_jwt' }),
  );
  await must(
    'peer basic',
    issuanceRequests(fed.peer, agent, n, { kind: 'client_secret_basic', secret }),
  );
  const peerHop1 = await must(
    'peer exchange 1',
    exchangeRequests(fed.peer, agent, peerIssued, 'urn:bench:hop1'),
  );
  await must('peer exchange 2', exchangeRequests(fed.peer, agent, peerHop1, 'urn:bench:hop2'));
}

/**
 * RSS and event-loop delay of broker A under c=64 issuance for `rssSeconds`, after a warm-up
 * that is not sampled: V8 lets the old generation grow until its first full collections under a
 * new load, then settles into a sawtooth, so RSS is sampled every 2 s and judged by its trend.
 */
async function runSoak(fed: Federation) {
  log(
    `soak: broker A, private_key_jwt issuance at c=${SETTINGS.rssConcurrency} for ${SETTINGS.rssSeconds} s (after ${SETTINGS.rssWarmupSeconds} s unsampled)`,
  );
  const load = async (until: number) => {
    let ok = 0;
    while (Date.now() < until) {
      const requests = issuanceRequests(fed.a, fed.agent, 1500, { kind: 'private_key_jwt' });
      const result = await runLoad(requests, SETTINGS.rssConcurrency, {
        deadlineMs: until - Date.now(),
      });
      ok += result.ok;
    }
    return ok;
  };
  // Before the soak's warm-up (a full collection shrinks the heap, which the warm-up lets V8
  // grow back to its working size) and after the sampled window: in neither samples nor delay.
  const retainedBefore = await fed.a.retained();
  await load(Date.now() + SETTINGS.rssWarmupSeconds * 1000);
  await fed.a.resetLag();
  const deadline = Date.now() + SETTINGS.rssSeconds * 1000;
  const rss: number[] = [];
  const sampling = (async () => {
    while (Date.now() < deadline) {
      rss.push((await fed.a.sample()).rss);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  const issued = await load(deadline);
  await sampling;
  const sample = await fed.a.sample();
  const retainedAfter = await fed.a.retained();
  // The trend, not the sawtooth: the last third of the samples against the first third.
  const third = Math.max(1, Math.floor(rss.length / 3));
  const drift = Math.abs(median(rss.slice(-third)) / median(rss.slice(0, third)) - 1);
  log(
    `  ${issued} tokens, RSS ${(rss[0] / 2 ** 20).toFixed(0)} -> ${(rss[rss.length - 1] / 2 ** 20).toFixed(0)} MiB (drift of the median, last third against first: ${(drift * 100).toFixed(1)}%), loop delay p99 ${sample.lagP99Ms.toFixed(1)} ms`,
  );
  return {
    issued,
    rssMiB: rss.map((r) => r / 2 ** 20),
    drift,
    lagP99Ms: sample.lagP99Ms,
    lagMaxMs: sample.lagMaxMs,
    retained: { before: retainedBefore, after: retainedAfter },
  };
}

/** Requests in flight for the scaling table; the rounds run at `SETTINGS.concurrency`. */
const SCALING_CONCURRENCY = [4, 16, 64];

type ScalingRow = BenchResults['scaling'][number];

/**
 * Issuance and the first-hop exchange at several concurrencies, Baton (broker A on SQLite) and
 * the peer alternating, every concurrency once per pass: where each server's throughput stops
 * rising with more requests in flight shows whether a ratio at one concurrency is bound by CPU
 * or by waiting. Each cell is the median of its passes.
 */
async function runScaling(fed: Federation): Promise<ScalingRow[]> {
  log(
    `scaling: issuance and exchange at c=${SCALING_CONCURRENCY.join(', ')}, ${SETTINGS.scalingPasses} passes`,
  );
  const n = SETTINGS.requestsPerPhase;
  const { agent } = fed;
  const phases = new Map<string, LoadResult[]>();
  const add = (key: string, result: LoadResult) =>
    phases.set(key, [...(phases.get(key) ?? []), result]);
  for (let pass = 0; pass < SETTINGS.scalingPasses; pass += 1) {
    for (const [index, c] of SCALING_CONCURRENCY.entries()) {
      const order = pass + index;
      const issue = await pair(
        order,
        () =>
          phase(
            `baton issue c=${c}`,
            issuanceRequests(fed.a, agent, n, { kind: 'private_key_jwt' }),
            c,
          ),
        () =>
          phase(
            `peer  issue c=${c}`,
            issuanceRequests(fed.peer, agent, n, { kind: 'private_key_jwt' }),
            c,
          ),
      );
      const exchange = await pair(
        order,
        () =>
          phase(
            `baton exchange depth 1 c=${c}`,
            exchangeRequests(fed.a, agent, accessTokensOf(issue.baton.bodies), fed.b.url),
            c,
          ),
        () =>
          phase(
            `peer  exchange depth 1 c=${c}`,
            exchangeRequests(fed.peer, agent, accessTokensOf(issue.peer.bodies), 'urn:bench:hop1'),
            c,
          ),
      );
      add(`${c}.issue.baton`, issue.baton);
      add(`${c}.issue.peer`, issue.peer);
      add(`${c}.exchange.baton`, exchange.baton);
      add(`${c}.exchange.peer`, exchange.peer);
    }
  }
  const rate = (key: string): Rate => {
    const results = phases.get(key) ?? [];
    return {
      rps: median(results.map((r) => r.rps)),
      p50Ms: median(results.map((r) => r.p50Ms)),
    };
  };
  return SCALING_CONCURRENCY.map((c) => ({
    concurrency: c,
    issue: { baton: rate(`${c}.issue.baton`), peer: rate(`${c}.issue.peer`) },
    exchange: { baton: rate(`${c}.exchange.baton`), peer: rate(`${c}.exchange.peer`) },
  }));
}

async function runProfiles(fed: Federation): Promise<Record<string, ProfileSummary>> {
  log('profiles (one phase each, V8 sampling profiler in the server)');
  const n = SETTINGS.requestsPerPhase;
  const { agent } = fed;
  const profiles: Record<string, ProfileSummary> = {};
  const take = async (label: string, server: Server, run: () => Promise<LoadResult>) => {
    const { result, profile } = await server.profile(run);
    profiles[label] = summarizeProfile(profile);
    if (PROFILE_DIR !== undefined) {
      const file = join(PROFILE_DIR, `${label.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
    }
    log(`  ${label}: ${result.ok} ok`);
    return result;
  };
  const issued = await take('broker A: issue, private_key_jwt (SQLite)', fed.a, () =>
    runLoad(issuanceRequests(fed.a, agent, n, { kind: 'private_key_jwt' }), SETTINGS.concurrency, {
      keepBodies: true,
    }),
  );
  const postgres = fed.aPostgres;
  if (postgres !== undefined) {
    await take('broker A: issue, private_key_jwt (PostgreSQL)', postgres, () =>
      runLoad(
        issuanceRequests(postgres, agent, n, { kind: 'private_key_jwt' }),
        SETTINGS.concurrency,
      ),
    );
  }
  await take('broker A: issue, client_secret_basic', fed.a, () =>
    runLoad(
      issuanceRequests(fed.a, agent, n, { kind: 'client_secret_basic', secret: fed.secret }),
      SETTINGS.concurrency,
    ),
  );
  const hop1 = await take('broker A: exchange depth 1', fed.a, () =>
    runLoad(
      exchangeRequests(fed.a, agent, accessTokensOf(issued.bodies), fed.b.url),
      SETTINGS.concurrency,
      { keepBodies: true },
    ),
  );
  const hop2 = await take('broker B: exchange depth 2', fed.b, () =>
    runLoad(
      exchangeRequests(fed.b, agent, accessTokensOf(hop1.bodies), fed.partnerAudience),
      SETTINGS.concurrency,
      { keepBodies: true },
    ),
  );
  const depth3 = accessTokensOf(hop2.bodies).slice(0, 16);
  await take('partner API: /api/whoami, depth 3', fed.partnerApi, () =>
    runLoad(
      resourceRequests(fed.partnerApi.url, '/api/whoami', agent, depth3, n),
      SETTINGS.concurrency,
    ),
  );
  await take('oidc-provider: issue, private_key_jwt', fed.peer, () =>
    runLoad(
      issuanceRequests(fed.peer, agent, n, { kind: 'private_key_jwt' }),
      SETTINGS.concurrency,
    ),
  );
  return profiles;
}

function targetsFrom(values: RoundValues): Target[] {
  const t = (
    id: string,
    work: string,
    against: string,
    kind: Target['kind'],
    bound: number,
  ): Target[] =>
    values[id] === undefined ? [] : [{ id, work, against, kind, bound, values: values[id] }];
  return [
    ...t(
      'issue.jwt.sqlite',
      'origin issuance, private_key_jwt + DPoP, c=16, SQLite',
      'oidc-provider, same grant',
      'at-least',
      1.0,
    ),
    ...t(
      'issue.jwt.postgres',
      'origin issuance, private_key_jwt + DPoP, c=16, PostgreSQL',
      'oidc-provider, same grant',
      'at-least',
      1.0,
    ),
    ...t(
      'issue.basic',
      'origin issuance, client_secret_basic (generated secret) + DPoP, c=16',
      'oidc-provider, same grant',
      'at-least',
      0.8,
    ),
    ...t(
      'exchange.1',
      'exchange at the first hop (depth 1), c=16',
      'oidc-provider token exchange',
      'at-least',
      1.0,
    ),
    ...t(
      'exchange.2',
      'exchange at the second hop (depth 2), c=16',
      'oidc-provider token exchange',
      'at-least',
      1.0,
    ),
    ...t(
      'cpu.exchange.1.ratio',
      'server CPU per exchange, depth 1 (5 verifications, 2 signatures)',
      'jose floor of those signatures',
      'at-most',
      2.0,
    ),
    ...t(
      'cpu.exchange.2.ratio',
      'server CPU per exchange, depth 2 (7 verifications, 2 signatures)',
      'jose floor of those signatures',
      'at-most',
      2.0,
    ),
    ...t(
      'partner.whoami',
      'partner API /api/whoami, depth-3 token, c=16',
      "the same server's /health",
      'at-least',
      0.35,
    ),
    ...[1, 3, 5].flatMap((d) => [
      ...t(
        `chain.${d}.cold`,
        `verifyChain cold, depth ${d}`,
        'node:crypto verifying the same signatures',
        'at-most',
        1.5,
      ),
      ...t(
        `chain.${d}.warm`,
        `verifyChain warm link cache, depth ${d}`,
        'node:crypto verifying the same signatures',
        'at-most',
        1.0,
      ),
    ]),
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  log(
    `bench: ${SETTINGS.rounds} rounds, ${SETTINGS.requestsPerPhase} requests per phase, servers logging to ${workDir}`,
  );
  const cases = [await chainCase(1), await chainCase(3), await chainCase(5)];
  const fed = await startFederation(workDir);
  try {
    await warmUp(fed, SETTINGS.warmupRequests);
    const values = await runRounds(fed, cases);
    const scaling = await runScaling(fed);
    const soak = await runSoak(fed);
    const profiles = await runProfiles(fed);
    log(
      'durable write: units of 1, 5 and 64 tokens on a scratch SQLite file (bench/lib/write-cost.ts)',
    );
    const writeCost = await measureWriteCost(workDir);
    for (const w of writeCost) {
      log(
        `  ${w.tokensPerUnit} per unit: ${w.walFramesPerToken.toFixed(1)} WAL pages and ${w.cpuMicrosPerToken.toFixed(0)} us CPU per token, ${w.msPerUnit.toFixed(2)} ms per unit`,
      );
    }
    const outcomes = targetsFrom(values).map(judge);
    log('\ntargets (median of rounds; min-max in brackets)');
    for (const o of outcomes) {
      const sign = o.kind === 'at-least' ? '>=' : '<=';
      log(
        `  ${o.met ? 'MET    ' : 'NOT MET'} ${o.work}: ${o.median.toFixed(2)}x [${o.min.toFixed(2)}-${o.max.toFixed(2)}] (target ${sign} ${o.bound}x)`,
      );
    }
    log(
      `  ${soak.drift <= 0.1 ? 'MET    ' : 'NOT MET'} RSS within 10% over ${SETTINGS.rssSeconds} s at c=64: drift ${(soak.drift * 100).toFixed(1)}%; loop delay p99 ${soak.lagP99Ms.toFixed(1)} ms`,
    );
    const results: BenchResults = {
      settings: SETTINGS,
      postgres: fed.aPostgres !== undefined,
      values,
      outcomes,
      scaling,
      soak,
      profiles,
      writeCost,
      chainCases: cases.map((c) => ({
        depth: c.depth,
        signatures: c.signatures,
        tokenBytes: c.tokenBytes,
        floorMs: median(values[`chain.${c.depth}.floor`]),
      })),
      minutes: (Date.now() - started) / 60_000,
    };
    const target = QUICK ? join(tmpdir(), 'baton-bench-quick.md') : DOC;
    writeFileSync(
      target,
      await format(writeReport(results), {
        ...((await resolveConfig(DOC)) ?? {}),
        parser: 'markdown',
        proseWrap: 'preserve',
      }),
    );
    log(`\nwrote ${target} (${results.minutes.toFixed(1)} min)`);
  } finally {
    await fed.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
