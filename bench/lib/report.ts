import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../apps/demo/server-node-flags.js';
import type { RetainedMemory } from './probe.js';
import type { ProfileSummary } from './profile-summary.js';
import { median, type TargetOutcome } from './stats.js';
import type { WriteCost } from './write-cost.js';

export interface BenchResults {
  settings: Record<string, number>;
  postgres: boolean;
  values: Record<string, number[]>;
  outcomes: TargetOutcome[];
  soak: {
    issued: number;
    rssMiB: number[];
    drift: number;
    lagP99Ms: number;
    lagMaxMs: number;
    /** After a full collection, before the soak's warm-up and after its sampled window. */
    retained: { before: RetainedMemory; after: RetainedMemory };
  };
  /** Issuance and the first-hop exchange at several concurrencies (one phase each). */
  scaling: {
    concurrency: number;
    issue: { baton: Rate; peer: Rate };
    exchange: { baton: Rate; peer: Rate };
  }[];
  profiles: Record<string, ProfileSummary>;
  /** The durable record alone, on a scratch file (write-cost.ts). */
  writeCost: WriteCost[];
  chainCases: { depth: number; signatures: number; tokenBytes: number; floorMs: number }[];
  minutes: number;
}

/** Requests per second and p50 latency of a cell (medians of its phases). */
export interface Rate {
  rps: number;
  p50Ms: number;
}

function versionOf(pkg: string): string {
  const file = fileURLToPath(
    new URL(`../../../../node_modules/${pkg}/package.json`, import.meta.url),
  );
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const x = (v: number) => `${v.toFixed(2)}×`;
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
const n0 = (v: number) => v.toFixed(0);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function targets(outcomes: readonly TargetOutcome[]): string {
  return table(
    ['work', 'against', 'target', 'median', 'rounds (min–max)', 'met'],
    outcomes.map((o) => [
      o.work,
      o.against,
      `${o.kind === 'at-least' ? '≥' : '≤'} ${o.bound.toFixed(2)}×`,
      x(o.median),
      `${x(o.min)} – ${x(o.max)}`,
      o.met ? `**met** (${pct(o.margin)} to spare)` : `**not met** (${pct(-o.margin)} short)`,
    ]),
  );
}

function throughput(values: Record<string, number[]>, postgres: boolean): string {
  const rows: [string, string][] = [
    ['Baton issue, private_key_jwt, SQLite', 'rps.issue.jwt.sqlite'],
    ...(postgres
      ? [['Baton issue, private_key_jwt, PostgreSQL', 'rps.issue.jwt.postgres'] as [string, string]]
      : []),
    ['oidc-provider issue, private_key_jwt', 'rps.issue.jwt.peer'],
    ['Baton issue, client_secret_basic', 'rps.issue.basic'],
    ['oidc-provider issue, client_secret_basic', 'rps.issue.basic.peer'],
    ['Baton exchange depth 1 (at A)', 'rps.exchange.1'],
    ['Baton exchange depth 2 (at B)', 'rps.exchange.2'],
    ['partner API /api/whoami, depth 3', 'rps.partner.whoami'],
    ['partner API /health', 'rps.partner.health'],
  ];
  const rounds = values['rps.issue.jwt.sqlite'].length;
  return table(
    ['requests/s (c=16)', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1}`)],
    rows.map(([label, key]) => [label, ...(values[key] ?? []).map(n0)]),
  );
}

function scaling(rows: BenchResults['scaling']): string {
  const cells = ({ baton, peer }: { baton: Rate; peer: Rate }) => [
    `${n0(baton.rps)} (p50 ${baton.p50Ms.toFixed(1)} ms)`,
    `${n0(peer.rps)} (p50 ${peer.p50Ms.toFixed(1)} ms)`,
    x(baton.rps / peer.rps),
  ];
  return table(
    [
      'in flight',
      'Baton issue/s',
      'oidc-provider issue/s',
      'ratio',
      'Baton exchange/s',
      'oidc-provider exchange/s',
      'ratio',
    ],
    rows.map((row) => [`c=${row.concurrency}`, ...cells(row.issue), ...cells(row.exchange)]),
  );
}

function exchangeCpu(values: Record<string, number[]>): string {
  return table(
    [
      'exchange',
      'Baton server CPU',
      'oidc-provider server CPU',
      'jose floor',
      'Baton / floor',
      'Baton / oidc-provider',
    ],
    [1, 2].map((d) => [
      `depth ${d}`,
      `${n0(median(values[`cpu.exchange.${d}`]))} µs`,
      `${n0(median(values[`cpu.exchange.${d}.peer`]))} µs`,
      `${n0(median(values[`floor.jose.exchange.${d}`]))} µs`,
      x(median(values[`cpu.exchange.${d}.ratio`])),
      x(median(values[`cpu.exchange.${d}`].map((v, i) => v / values[`cpu.exchange.${d}.peer`][i]))),
    ]),
  );
}

/** Issuance CPU at broker A and at the peer, and what broker A's units of writes cost. */
function durableWrite(results: BenchResults): string {
  const values = results.values;
  const baton = median(values['cpu.issue.jwt.sqlite']);
  const peer = median(values['cpu.issue.jwt.peer']);
  const perUnit = median(values['unit.tokens.issue.jwt.sqlite']);
  const unitMs = median(values['unit.ms.issue.jwt.sqlite']);
  const nearest = results.writeCost.reduce((best, w) =>
    Math.abs(Math.log(w.tokensPerUnit / perUnit)) < Math.abs(Math.log(best.tokensPerUnit / perUnit))
      ? w
      : best,
  );
  const rounds = table(
    ['issuance, private_key_jwt, c=16', 'server CPU per token', 'tokens per unit', 'one unit'],
    [
      [
        'Baton, broker A on SQLite',
        `${n0(baton)} µs`,
        perUnit.toFixed(1),
        `${unitMs.toFixed(1)} ms`,
      ],
      ['oidc-provider, records in memory', `${n0(peer)} µs`, '—', '—'],
    ],
  );
  const units = table(
    ['tokens per unit', 'WAL pages per token', 'CPU per token', 'one unit'],
    results.writeCost.map((w) => [
      String(w.tokensPerUnit),
      w.walFramesPerToken.toFixed(1),
      `${n0(w.cpuMicrosPerToken)} µs`,
      `${w.msPerUnit.toFixed(2)} ms`,
    ]),
  );
  return `${rounds}

${units}

The first table is from the rounds' SQLite issuance phases (medians): server CPU as above, units
from broker A's own group-commit metrics (\`baton_issuance_unit_tokens\`, \`…_duration_seconds\`:
a unit's time from its start to its commit's answer). The second measures the record alone, in the
bench process after the rounds (\`bench/lib/write-cost.ts\`): units of 1, 5 and 64 tokens' rows
(two single-use rows, the record with a one-link chain, the audit event and head, at the sizes of
broker A's), one after another, through the broker's own unit of writes on a file its migrations
made, after 20,000 tokens so the indexes are as deep as a run leaves them; CPU of the process, all
threads; pages the commits appended to the WAL, 4 KiB each.

At ${nearest.tokensPerUnit} tokens per unit, the nearest to the rounds' ${perUnit.toFixed(1)}, the record costs
${n0(nearest.cpuMicrosPerToken)} µs of CPU per token: ${pct(nearest.cpuMicrosPerToken / peer)} of all the CPU the peer spends on an issued
token, which answers as soon as its CPU is done, while each of Baton's requests also waits for its
unit's commit. Each token dirties a page in every index whose key is random (the single-use
identifiers, the token's \`jti\`, its hash, its status-list slot, the audit event's \`jti\`) and
the last page of the others, and every commit writes each page it dirtied whole: larger units share
those last pages, the random ones stay one per token.`;
}

/** µs per ES256 node:crypto verification in this run: the depth-1 floor over its 3 signatures. */
function signatureMicros(results: BenchResults): number {
  const depth1 = results.chainCases.find((c) => c.depth === 1);
  return depth1 === undefined ? Number.NaN : (depth1.floorMs * 1000) / depth1.signatures;
}

function chains(results: BenchResults): string {
  return table(
    ['depth', 'signatures', 'token bytes', 'node:crypto floor', 'cold / floor', 'warm / floor'],
    results.chainCases.map((c) => [
      String(c.depth),
      String(c.signatures),
      c.tokenBytes.toLocaleString('en'),
      `${(c.floorMs * 1000).toFixed(0)} µs`,
      x(median(results.values[`chain.${c.depth}.cold`])),
      x(median(results.values[`chain.${c.depth}.warm`])),
    ]),
  );
}

function profiles(all: Record<string, ProfileSummary>): string {
  return Object.entries(all)
    .map(([label, summary]) =>
      [
        `#### ${label}`,
        '',
        `Main thread busy ${pct(summary.busyShare)} of the phase. Self time by area (share of busy time):`,
        '',
        table(
          ['area', 'share'],
          summary.areas.map(([area, share]) => [area, pct(share)]),
        ),
        '',
        'Heaviest functions (self time):',
        '',
        table(
          ['function', 'share'],
          summary.functions.map(([name, share]) => [
            `\`${name.replace(/\|/g, '\\|')}\``,
            pct(share),
          ]),
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

/** The targets not met, each with what the profile of its phase shows. */
function leftOver(results: BenchResults): string {
  const missed = results.outcomes.filter((o) => !o.met);
  if (missed.length === 0) {
    return '## Not met\n\nEvery target was met in this run.';
  }
  const profileFor = (id: string): string | undefined => {
    if (id.startsWith('issue.basic')) return 'broker A: issue, client_secret_basic';
    if (id === 'issue.jwt.postgres') return 'broker A: issue, private_key_jwt (PostgreSQL)';
    if (id.startsWith('issue.')) return 'broker A: issue, private_key_jwt (SQLite)';
    if (id.endsWith('.1') || id.includes('exchange.1')) return 'broker A: exchange depth 1';
    if (id.includes('exchange.2')) return 'broker B: exchange depth 2';
    if (id.startsWith('partner')) return 'partner API: /api/whoami, depth 3';
    return undefined;
  };
  const traced = Object.values(results.profiles).some((p) =>
    p.functions.some(([name]) => name.includes('sqlite3/lib/trace.js')),
  );
  const lines = missed.map((o) => {
    const label = profileFor(o.id);
    const summary = label === undefined ? undefined : results.profiles[label];
    const shown =
      summary === undefined
        ? 'in-process: see the verifyChain table (jose parsing and the checks around the signatures)'
        : `profile "${label}": main thread busy ${pct(summary.busyShare)}; top self time ${summary.functions
            .slice(0, 4)
            .map(([name, share]) => `\`${name.trim()}\` ${pct(share)}`)
            .join(', ')}`;
    return `- ${o.work}: ${x(o.median)} against ${o.kind === 'at-least' ? '≥' : '≤'} ${o.bound.toFixed(2)}× — ${shown}.`;
  });
  return `## Not met, and what the profiles show

${lines.join('\n')}

${
  traced
    ? `Statement tracing is still on in this build: \`sqlite3/lib/trace.js\` (the wrapper
\`sqlite3.verbose()\` puts around every statement, with \`util.inspect\` of its parameters) is
among the heaviest functions; turning it off is issue 9 §2.`
    : 'No profile shows sqlite3 statement tracing (`trace.js`): it is off in this build.'
}
The native frame the profiler names \`run\` is node:crypto's one-shot \`sign\` and \`verify\`
(every ES256 signature the broker makes or checks, in the main thread); \`Backup\` is sqlite3's
addon, entered from each statement. The rest of
the broker's time is spread thin (Nest and Fastify, async context for the log lines, garbage
collection, JSON): no function beyond the signatures has more than a few percent. Where a broker's
main thread is idle it is waiting for its batch to commit: the durable write path costs about a
third of the issuance throughput (see "Fewer statements in a row per batch" below), and the
peer keeps its records in memory.`;
}

export function writeReport(results: BenchResults): string {
  const cpu = cpus();
  const { settings, soak } = results;
  return `# Performance

This page is written by \`npm run bench\` (\`bench/run.ts\`); do not edit it by hand, run the
command. The figures are **ratios measured within one run**: the machines are shared and noisy,
so absolute numbers only compare within a run. Each target is the median of ${settings.rounds}
interleaved rounds (Baton and its baseline alternate which goes first).

## Machine and run

- ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}
- jose ${versionOf('jose')}, oidc-provider ${versionOf('oidc-provider')}, TypeORM ${versionOf('typeorm')}, sqlite3 ${versionOf('sqlite3')}${results.postgres ? ', PostgreSQL on 127.0.0.1' : ' (PostgreSQL unreachable: its row is missing)'}
- ${settings.warmupRequests} warm-up requests of each kind to every server (Baton's and the peer's) before the rounds; ${settings.requestsPerPhase} requests per phase at c=${settings.concurrency}; soak ${settings.rssSeconds} s at c=${settings.rssConcurrency}; the whole run took ${results.minutes.toFixed(1)} min
- How fast the shared machine was during the run: one ES256 check with node:crypto took ${signatureMicros(results).toFixed(0)} µs (the verifyChain floor at depth 1 over its 3 signatures). Runs at very different figures do not compare: the ratios below move with it, because crypto and the rest of the work do not slow alike

## What runs

All servers are separate Node processes on 127.0.0.1, started by the bench with the Node flags
Baton's servers ship with (\`${SERVER_NODE_FLAGS.join(' ')}\`, apps/demo/server-node-flags.ts; the
peer gets them too) and a small probe preloaded (\`bench/lib/probe.ts\`: CPU time, RSS,
event-loop delay, and the V8 CPU profiler that \`node --cpu-prof\` uses, started around one
phase):

- **Baton**: broker A (SQLite, and a second one on PostgreSQL), broker B (SQLite) that accepts
  A's chains, and the partner API (\`apps/resource-server\`) that trusts A and B, all from
  \`dist/\` in demo mode with discovery between them.
- **Peer**: panva's \`oidc-provider\` 9 (\`bench/peer/oidc-peer.ts\`) with the same clients and
  grants: \`client_credentials\` and an RFC 8693 exchange grant, \`private_key_jwt\` (ES256) and
  \`client_secret_basic\` (the same generated secret), DPoP required by the client and bound into
  ES256 JWT access tokens, DPoP \`jti\` replay detection; its records in its in-memory adapter.
  Its exchange checks the subject token's signature and \`cnf.jkt\` and issues a new bound token;
  Baton's also checks every link and hop proof, records the token durably and signs a link. At
  the first hop broker A exchanges tokens it issued and recalls three of the signatures (its
  token's and its link's, which it made, and the link's hop proof, which it verified:
  \`LinkCache.rememberSignature\`; every other part of those checks still runs); the jose floor
  below still counts them, as a verifier without that memory must check them.
- **Load**: an in-process generator (\`bench/lib/load.ts\`, keep-alive \`node:http\`, a fixed
  number of prepared requests over c connections, with a deadline). Every request carries its
  own DPoP proof and client assertion, signed beforehand with \`node:crypto\` so the generator
  stays cheap; autocannon would need the same per-request hooks, so it was not worth a
  dependency. Tokens issued in one phase are the subject tokens of the next (each exchanged
  once), and the partner API is called with 16 of the depth-3 tokens from the exchange at B.
- **verifyChain** runs in the bench process on fixture chains of depth 1, 3 and 5 (one ES256
  domain per hop, an ES256 agent key): *cold* = no link cache, *warm* = a \`LinkCache\` that has
  seen the token and its links; the floor is \`node:crypto\` \`verify\` of every signature the
  chain carries (\`2 × depth + 1\`) with keys imported once. All three are timed as CPU time of
  the bench process in alternating blocks of 10 calls (wall time would add whatever else the
  shared machine runs).
- **Server CPU per exchange** is the broker process's CPU time (all threads, so the thread
  pool's work counts) over the phase divided by the tokens issued; the *jose floor* is the
  CPU jose needs, in process, for the exchange's verifications (client assertion, DPoP proof,
  subject token, each link and hop proof) and its two signatures (token and link): the median
  over blocks of 20 exchanges' worth, after 50 untimed (jose's path compiled by the JIT, as the
  servers' are after their warm-up).

## Targets

${targets(results.outcomes)}
| RSS over ${settings.rssSeconds} s at c=${settings.rssConcurrency} (broker A, issuance) | median of its first third of samples (every 2 s, after a ${settings.rssWarmupSeconds} s warm-up), against the last third's | within ±10% | ${pct(soak.drift)} drift | — | ${soak.drift <= 0.1 ? '**met**' : '**not met**'} |

Event-loop delay at broker A over the soak: p99 ${soak.lagP99Ms.toFixed(1)} ms, max ${soak.lagMaxMs.toFixed(1)} ms (${soak.issued} tokens; RSS samples ${soak.rssMiB.map(n0).join(', ')} MiB).
After a full collection (forced through the inspector before the soak's warm-up and after its
sampled window, so in neither the samples nor the delay): heap used ${mib(soak.retained.before.heapUsed)} →
${mib(soak.retained.after.heapUsed)} MiB, RSS ${mib(soak.retained.before.rss)} → ${mib(soak.retained.after.rss)} MiB. What the process keeps is
that; the samples above add the room V8 leaves between collections.

## Throughput by round

${throughput(results.values, results.postgres)}

## Throughput against requests in flight

${scaling(results.scaling)}

Each cell is the median of ${settings.scalingPasses} phases of ${settings.requestsPerPhase} requests (requests per second
and p50 taken separately; issuance: private_key_jwt on SQLite; exchange: depth 1 at broker A),
measured after the rounds, every concurrency once per pass; Baton and the peer alternate which
goes first. The peer keeps its records in memory and answers as soon as its CPU is done; Baton
returns a token only after the batch that records it has committed, and spends part of each
request waiting for that commit and for its replay pre-checks (reads on the thread pool), so its
main thread is not kept busy until more requests are in flight. A throughput that still rises from
one row to the next is bound by that waiting rather than by CPU. The targets are judged at
c=${settings.concurrency}, the row in the middle.

## Server CPU per exchange

${exchangeCpu(results.values)}

The servers' CPU is measured under load, the jose floor in the quiet bench process: when the
shared machine is busier, both servers' CPU per request rises and the floor does not, so the
target moves with the machine. The last column compares Baton with the peer measured in the
same rounds, which a busier machine moves alike (the peer does 3 verifications and 1 signature
per exchange; Baton 5 or 7 and 2, and a durable record; at the first hop 2 of its 5
verifications compute a signature, broker A recalling the other three).

## The durable write

${durableWrite(results)}

## verifyChain against the node:crypto floor

${chains(results)}

## Profiles

One phase of each kind, profiled after the rounds (sampling every 200 µs on the main thread;
work on libuv's thread pool — SQLite, scrypt, any WebCrypto — shows only as the time the main
thread is idle waiting for it).

${profiles(results.profiles)}

${leftOver(results)}

${CHANGES}
`;
}

/** The changes made for issue 9 and the profiles behind them (measured before each change). */
const CHANGES = `## Changes and the profiles behind them

- **Generated client secrets are checked with SHA-256, not scrypt.** Before: every
  \`client_secret_basic\` request ran one scrypt (N=2^14, r=8): 31–39 ms of CPU on libuv's
  4-thread pool, shared with WebCrypto, so issuance with a secret ran at 0.024–0.039× the peer
  with p50 2.8 s at c=64 (issue 9's profiles: the main thread idle, the pool saturated by
  \`scrypt\`). A secret Baton generates (\`npm run secret\`) has 256 bits of entropy and
  is stored as \`sha256:\`; chosen secrets keep scrypt. See docs/operations.md for the
  constant-time, indistinguishable-cost rules.
- **RFC 7638 thumbprints through node:crypto.** Every DPoP proof (the request's and each hop
  proof in a chain) needs its key's thumbprint; jose computes it with \`crypto.subtle.digest\`,
  ~40 µs per call here against ~1 µs for \`node:crypto\` (the issue's profiles: \`subtle.digest\`
  among the WebCrypto dispatch at 10–19% of the broker and the partner API). Imported keys were
  already cached by \`kid\` per issuer (TrustStore) and by thumbprint for agent keys.
- **A link cache on by default in \`@baton/chain-nest\`** (10 000 links, 300 s each; \`linkCache:
  false\` opts out). Before, the partner API verified every link of every request cold: the
  profile was WebCrypto verification and jose's parsing of the same three links each time.
- **node:crypto checks ES256, ES384 and EdDSA signatures; jose still applies the JWS rules.**
  A first run of this bench had cold \`verifyChain\` at ~3× the node:crypto floor at every depth:
  each jose verification goes through WebCrypto (~130 µs with the key imported once, against
  ~66 µs for \`crypto.verify\`). jose now parses the header and applies \`crit\`, \`b64\` and the
  \`alg\` allow-list (its key callback stops it before WebCrypto); \`crypto.verify\` then checks
  the signature, in jose's order of checks; anything else goes to jose whole.
  \`libs/chain/test/verify-jws.spec.ts\` shows both paths agree on the spec vectors and on header
  and signature attacks, and \`jose-parity.spec.ts\` reruns the attack, spec-vector, DPoP and
  request suites with jose alone.
- **Sign first, then group commit.** Before, each token was one SQLite transaction of 15
  statements (two single-use rows each deleted-then-inserted, three for the status slot, the
  record, four for the audit chain head and event), signing inside it, and the transactions ran
  one after another: the broker's main thread was idle 40% of an issuance phase, p50 130 ms at
  c=16, ~110 tokens/s. Now the token is signed outside any transaction (status slots come from a
  block of 128 each replica reserves), and \`IssuanceWriter\` commits the tokens signed while the
  previous transaction committed in one transaction of six statements whatever their number
  (multi-row inserts, one audit head lock), each token returned only after its commit; a replay
  inside a batch sends its tokens back one by one so only the replay is refused
  (\`apps/broker/src/issuance/issuance-writer.spec.ts\`, on both databases). The same-run quick
  bench went from 0.13× to 0.4–0.6× the peer on SQLite.
- **Reads that do not queue behind the writer.** Timing the token endpoint's stages under the
  bench's load (a scratch probe, not committed) then showed client authentication at 40 ms and
  the DPoP check at 27 ms of a 121 ms request: each replay pre-check was a read queued behind the
  open transaction on SQLite's one connection (a batch commit took 25 ms under that load, 7.5
  tokens per batch). Pre-checks and the broker's own revocation check now share one
  \`IN (…)\` query between concurrent requests (\`BatchedLookup\`) and read without waiting
  (\`DatabaseTransactions.read\`: they may see the open transaction's rows, which can only refuse
  early what the issuing transaction would refuse anyway), and a batch's three kinds of writes go
  out together on SQLite (\`DatabaseTransactions.together\`: each statement's answer waits for a
  turn of a busy event loop). The broker's main thread is now busy 82–93% of each phase: what is
  left is CPU.
- **A rate-limit storage with constant work per key.** \`@nestjs/throttler\`'s default storage
  keeps a timestamp per hit and filters the whole array on every request: \`pruneExpiredHits\`
  was 2–3% of broker A's busy time, 3–5% of it with the throttler's other work, with the bench's
  lifted limits (every request of the last minute in the array). The broker's own storage
  (\`apps/broker/src/throttling/window-counter.storage.ts\`) keeps a sliding-window counter pair
  per key: in process, 60 000 requests in one window cost 0.6 µs each instead of 2.3 ms.
- **No JWT decoded twice on the token path.** \`decodeJwt\` was 2–3% of broker A's busy time in
  the exchange profile; most of it re-read the token just issued (for the log line), the links of
  the new chain (for the audit event's issuers) and the client assertion (twice, for the
  per-client limit). The broker now keeps what it already knew, and mints one DPoP nonce per
  120 s window instead of two or three HMACs per request.
- **Each header, proof and token is parsed once.** Cold \`verifyChain\` was still ~1.8× the floor:
  besides the signatures, jose's header check (its key callback) cost ~8 µs per signature on
  headers that repeat for every token, link and proof of a domain or agent, and each hop proof
  was decoded three times. jose's verdict on a header (without \`b64\`) is now remembered with the
  decoded header shared by its segment, thumbprints and imports by the frozen \`jwk\`, normalised
  \`htu\` values by string; proofs are decoded once; the signing input goes to \`crypto.verify\`
  in a reused buffer. In process (median CPU of interleaved blocks): 2.00/1.81/1.74× →
  ~1.4× at depths 1/3/5.
- **The partner API remembers presented tokens.** A client presents one token on every call; the
  whoami profile was jose's \`decodeJwt\` of the same 6 KB token, garbage collection (13%), one of
  its two ES256 checks, and a decision line written synchronously to stdout per call. The link
  cache now also keeps a token whose whole chain verified, decoded and frozen (1 000 tokens,
  same TTL and trust set as links; callers get copies), so its parse and own signature are not
  redone; every check from trust membership to scopes still runs on every call. Decision lines
  go through pino's asynchronous stdout. \`verifyRequest\` of a depth-3 token with warm caches:
  456 → ~190 µs of CPU in process.
- **Plain SQL on the issuance path.** After group commit, TypeORM's query builders were still
  15–24% of broker A's busy time in the issuance and exchange profiles (\`InsertQueryBuilder\`,
  \`find\` with \`In\`, parameter escaping on every call). The hot statements (single-use rows,
  records, audit events and head, the replay and revocation look-ups) now go through
  \`RowStatements\`: the text built once per shape from the entity metadata, values through the
  driver's conversion and the columns' transformers as TypeORM does
  (\`apps/broker/src/database/row-statements.spec.ts\` reads every row back through TypeORM on
  both databases). A lone token also takes the multi-row path. Same-run quick bench: SQLite
  issuance 0.72× → 0.92×, PostgreSQL 0.45× → 0.52×; full bench: server CPU per exchange
  3.42/3.37× → 1.88/2.27× (before the floor below was made stricter).
- **Fewer statements in a row per batch.** A scratch counter in \`IssuanceWriter\` (not
  committed) timed a batch's transaction at 7–14 ms for 5–6 tokens at c=16, while an fsync here
  takes ~0.2 ms: every statement's answer waits for a turn of the busy event loop. A scratch run
  that skipped the write altogether served issuance at 1,289 tokens/s against the peer's 996 in
  the same round (934 against 1,400 µs of broker CPU per token): the write costs about a third of
  the throughput, mostly in waiting. The audit head is now read under lock in one statement
  (\`SELECT … FOR UPDATE\` on PostgreSQL) and, on SQLite, where this process is the only writer,
  kept as last committed (\`DatabaseTransactions.afterCommit\`), and the events and the new
  head go out side by side: a batch waits for three turns on SQLite instead of six, seven round
  trips on PostgreSQL instead of eight. The round-to-round noise of this machine (±15% on the
  same build) hides the gain in a single run.
- **Client assertions through the chain library's verification.** With the write path lighter,
  the one JWS on the token path still verified by jose's \`jwtVerify\` (WebCrypto) was the
  client assertion: in process, 150–290 µs of CPU per ES256 assertion, the thread-pool hand-off
  included, against 73–108 µs through \`verifyCompactJws\` (jose's header rules and key
  selection, node:crypto's verify). The broker now checks the RFC 7523 claims itself, in order,
  and \`apps/broker/src/clients/client-assertion.verifier.spec.ts\` runs 34 cases through both
  and expects the same verdict and jose error code.
- **The token endpoint's outcome recorded without a Nest interceptor.** On Node 20 every
  interceptor call binds an \`AsyncResource\`, which builds two \`util.deprecate\` wrappers,
  and wraps the handler in an Observable: \`deprecate\` 27 µs, \`bind\` 18 µs and the
  consumer and rxjs a few more per request in the profiles. \`TokenOutcomeRecorder\` does the
  same recording, called by the controller. Server CPU per exchange (depth 1/2) in full runs of
  this bench one after another: 2.24/1.87× the floor before the client-assertion change above,
  2.03/1.90× after it, 1.97/1.82× with this one (runs of the same build differ by about ±10%).
- **SQLite statements prepared once per connection.** node-sqlite3's \`all\` and \`run\`
  prepare, run and finalize each statement, and the finalize runs on the main thread under the
  connection's mutex: it waits whenever a pool thread is running another statement (a COMMIT's
  fsync, a batch's insert). \`perf record -e sched:sched_switch\` on broker A's main thread over
  2,000 exchanges counted 351 such blocks (of ~1,700 switches out); with \`RowStatements\` and
  \`BEGIN\`/\`COMMIT\` on statements the connection keeps prepared (finalized before it
  closes, \`sqlite-driver.ts\`), 1. The same run's main thread waited idle in \`epoll\` 258
  times instead of 466. The full run with the statements of \`RowStatements\` prepared (before
  \`BEGIN\`/\`COMMIT\` were): server CPU per exchange 1.91/1.80× the floor,
  \`client_secret_basic\` 0.76×, exchange at the first hop 0.58×; the run after both measured
  2.03/1.80×, 0.65× and 0.55× (the same build moves about ±10% between runs).
- **Both sides warmed alike, a stricter jose floor.** Back-to-back runs showed both servers
  getting faster over their first ~2,000 requests (CPU per token down by a third, the peer's
  too), Baton's \`client_secret_basic\` and the peer's second hop had no warm-up at all, and the
  jose floor, timed from its first call, moved between 983 and 1,615 µs for the same work. Every
  kind of request now warms every server (600 each) and the floor is the median of blocks after
  a warm-up: the peer gained more from its warm-up than Baton, and the floor fell to 940 µs
  (depth 1), so the ratios against both are lower than the previous run's for the same code.
- **SQLite's statement journal in memory.** \`perf record\` of broker A's threads during 3,000
  issuances: the thread pool (SQLite and WebCrypto's signatures) spent 14% of its samples
  writing the statement journal a multi-row INSERT keeps inside a transaction (to undo that
  statement alone), on disk. \`temp_store = MEMORY\` keeps it in memory: 2% in the next
  recording. It only serves the rollback of a statement of an open transaction; WAL with
  \`synchronous = FULL\` still makes each commit durable.
- **A batch takes its tokens once its transaction has begun.** The same scratch counter, split by
  phase: a SQLite batch of ~5 tokens waited 1.2–1.8 ms for \`BEGIN IMMEDIATE\`'s answer (a
  turn of the busy event loop), 2.1–3.3 ms for its statements and 2.7–3.0 ms for \`COMMIT\`,
  while tokens signed meanwhile queued for the next batch. \`IssuanceWriter\` now takes the
  waiting tokens inside the transaction, so those signed while it began are written in it.
- **Tokens and links signed with jose's \`CompactSign\`.** jose's \`SignJWT\` deep-copies the
  claims (\`structuredClone\`, \`JWTClaimsBuilder\` at ~2% of broker A's busy time) before it
  serialises them; in process, a token carrying two links cost 96–109 µs of CPU to sign through
  \`CompactSign\` over the JSON claims against 110–183 µs through \`SignJWT\`, and the broker
  signs two per token. The signed bytes are the same (\`libs/chain/test/issue-chain.spec.ts\`).
- **The three changes above against the build before them.** Four scratch runs on this machine,
  alternating the two builds (three rounds of 2,000 requests at c=16 each, the first unreported,
  broker CPU over all its threads from \`/proc\`), medians of the four reported rounds per build:
  broker CPU per token 1,960 → 1,587 µs for issuance, 2,637 → 1,955 µs for the exchange at the
  first hop, 2,890 → 2,382 µs at the second; the peer measured 1,450 and 1,572 µs per exchange in
  the same runs. Exchange throughput at the first hop against the peer's: 0.51× → 0.66×. On a
  busier day a full run of this bench reads higher CPU ratios for the same code (the peer's CPU
  per exchange was 1,112 µs in the run before these changes, 1,328 µs in a run after them).
- **Tried, not kept.** Checking signatures with node:crypto's asynchronous \`verify\` (on the
  thread pool, as WebCrypto does) to shorten the main thread's turns: in three alternating pairs
  of scratch runs the exchange ratios moved by less than the noise (depth 1: 0.46/0.52/0.67×
  synchronous, 0.46/0.61/0.65× on the pool), and it would cost the partner API and
  \`verifyChain\`, whose main thread does nothing else, a thread hand-off per signature.
- **A larger young generation for every server.** The profiles above count V8's scavenges at
  5–6% of broker A's main thread, and allocation feeds more of it (promotion, write barriers).
  Two federations side by side, one started with \`--max-semi-space-size=32\` (Node 20's default
  is 16 MiB), phases alternating, six rounds of 2,000 requests at c=16 (medians of each side's rounds):
  broker CPU per token 1,357 → 1,255 µs for issuance, 1,849 → 1,706 µs for the exchange at the
  first hop and 2,207 → 2,015 µs at the second; tokens per second 803 → 890, 568 → 622 and
  501 → 549. 64 MiB did no better than 32. Baton's servers now start with the flag
  (apps/demo/server-node-flags.ts, the Dockerfile, \`npm run start:broker\`), and so does the
  peer here, so that the ratios compare like with like.
- **Where an issuance at c=16 spends its time.** A scratch probe in \`TokenIssuer\` (not
  committed) counted, of the 16 requests in flight during issuance at broker A, about 2.3 in
  signing (jose's WebCrypto signatures on the thread pool and the turn back) and 5.3 waiting
  for their batch to commit; event-loop utilisation was 0.68–0.84. \`perf record\` of the main
  thread put 8% of its samples in the kernel waking a thread-pool thread (\`uv_queue_work\`, a
  futex wake that is dear in this virtual machine): every SQLite statement and every WebCrypto
  signature pays one. A scratch run of one phase per concurrency read the other side: the peer
  issued 1,150, 1,231 and 1,328 tokens/s at c=4, 16 and 64, Baton 588, 841 and 1,139; the
  table "Throughput against requests in flight" now measures this in every run.
- **A broker does not recompute the signatures it made or checked itself.** The profile of
  broker A's exchange at the first hop put 34% of its main thread's busy time in \`verifyCompactJws\`,
  13.7% of it in \`checkDomainSignature\` for the broker's own token and link, and the link's
  hop proof is the DPoP proof its token endpoint verified when it issued that token. The broker
  now records, after each batch commits, the hashes of the token and link it signed and of the
  proof it accepted (\`LinkCache.rememberSignature\`, 300 s, at most 30 000); when the token
  comes back, verifyChain runs every check of invariants 1 and 4 except the key import and the
  signature arithmetic (a withdrawn key still takes effect at once: the \`kid\` must still select
  a published key). Two federations side by side, eight rounds of 2,000 requests at c=16, one
  with the recording switched off in a scratch build: broker CPU per exchange at the first hop
  4,048 → 3,609 µs (pairwise 0.87×), 265 → 293 tokens/s (pairwise 1.14×); issuance and the
  second hop, which recall nothing, 0.94× and 1.03× (noise). That machine ran about three times
  slower than usual (an ES256 \`crypto.verify\` took ~220 µs instead of ~66 µs).
- **Tokens and links signed with node:crypto.** The issuance profile at normal machine speed
  (ES256 \`crypto.verify\` ~58 µs) put 6–8% of broker A's main thread in jose's WebCrypto
  signatures (\`SignJob\`, the job's dispatch) for work \`crypto.sign\` does in ~27 µs, and the
  main thread idled 15–17% of the phase, much of it waiting for those jobs to come back from the
  thread pool. For ES256, ES384 and EdDSA with a key jose would accept,
  \`signCompactJws\` (\`libs/chain/src/issue/sign-jws.ts\`) now encodes the header and the
  claims as jose's \`CompactSign\` does and signs with \`crypto.sign\`; anything else goes to jose
  whole. \`libs/chain/test/sign-jws.spec.ts\` shows both paths make the same header and payload
  segments, signatures jose verifies, and the same refusal for a key that does not fit.
  Two federations side by side, six rounds of 2,000 requests at c=16, one with the change
  switched off in a scratch build (pairwise medians): issuance 1.11× tokens per second for 0.87×
  broker CPU per token, the exchange at the first hop 1.16× for 0.82×, at the second 1.08× for
  0.90×.
- **No child loggers made for requests that log nothing.** pino-http builds two child loggers
  per request (one with the request id, one with the serialised request for the access line)
  whatever the level: with the brokers at \`warn\` here, its \`child\` and \`asChindings\` were
  2–3% of broker A's main thread. \`createLogging\` now writes the same access line through the
  root logger and makes a request's logger the first time something logs inside it
  (\`apps/observability/src/create-logging.spec.ts\`). Side by side as above: issuance 1.07×
  tokens per second for 0.94× CPU per token, the exchange 1.02× at both hops.
- **Tried this time, not kept** (each in the side-by-side runs above, six rounds; pairwise
  medians for issuance / exchange at the first hop / the second):
  - node:crypto's asynchronous \`verify\` on the broker again: +6% / +6% / +8% tokens per second
    for −1% to +7% CPU per token. It would raise the CPU target's ratio, and the partner API and
    \`verifyChain\` would pay a thread hand-off per signature.
  - Requests run outside nestjs-pino's \`AsyncLocalStorage\`, to price Node 20's promise hooks:
    −8% / −1% / −8% CPU per token, +7% / 0% / +8% tokens per second. Not kept: the request id on
    every line logged inside a request is how operators follow one.
  - \`COMMIT\` and the next \`BEGIN IMMEDIATE\` in one \`exec\` while more tokens wait (one
    event-loop turn fewer per SQLite batch): −2% / +3% / +4%, inside the noise, and it would keep
    a write transaction open between batches.
  - Two PostgreSQL batches in flight at once (the second writing its rows while the first holds
    the audit head): −8% for PostgreSQL issuance. Its round trips do not bound it either.
  - Replay and revocation look-ups started at the end of the event loop's current phase rather
    than at once, to gather more keys per \`IN (…)\` query (a scratch counter read about one
    read statement per request): +0% / +4% / +7% tokens per second, −1% to −4% CPU per token,
    inside the noise.
  - Issuance without the replay pre-check (the commit's unique key still refuses a replayed
    proof or assertion), measured after the signing change above: +4% / +11% tokens per second
    (issuance / first hop), −5% CPU per token. Not kept: a replay would then fail its whole
    batch, which is written again token by token, so one client replaying proofs would slow
    every other client's tokens.

- **SQLite reads on a connection of their own.** Timing broker A's batch writer under the
  issuance load (a scratch probe, not committed) showed a batch of ~7.5 tokens taking ~7 ms:
  \`BEGIN IMMEDIATE\` ~1.3 ms, the rows ~2.2 ms, \`COMMIT\` ~2.7 ms (medians), almost all of
  it waiting for the thread pool and a turn of the event loop. The replay pre-checks and the
  broker's own revocation look-up read on that same connection, where SQLite serialises calls,
  so each waited for the writer's statements and its COMMIT's fsync. They now read on a second,
  read-only connection to the same WAL file (\`DatabaseTransactions.read\`), which sees the last
  commit meanwhile; the issuing transaction's unique key still decides a replay, and a
  revocation counts once \`/revoke\` has committed it
  (\`apps/broker/src/database/database-transactions.spec.ts\`). Two federations side by side,
  four rounds of 2,000 requests at c=16, the change switched off in a scratch build (pairwise
  medians): issuance 1.11× tokens per second, the exchange 1.10× at the first hop and 1.07× at
  the second, CPU per token 0.99–1.02×.
- **Client authentication and the DPoP proof checked side by side.** Each reads for its replay
  pre-check (\`SeenJtiStore.isUnused\`, one \`BatchedLookup\`); one after the other they cost
  two queries and two event-loop turns per request, side by side they mostly share one query.
  Neither writes; the refusals keep their order (client authentication, then
  \`unauthorized_client\`, then the proof: \`test/token-client-refusals.test.ts\`). Side by side
  as above, six rounds: 1.03× / 1.15× / 1.01× tokens per second (issuance / first hop / second
  hop) for 0.91× / 0.90× / 0.93× CPU per token.
- **The partner API's caches read without reordering, and its token cache keyed without a hash.**
  The whoami profile against the bare route's put 16 µs per request in \`BoundedMap.get\` (every
  read deleted and re-inserted its entry to keep exact LRU order) and 17–19 µs in the SHA-256
  of the presented 6 KB token that keyed the link cache's token entries. A read now moves its
  entry only once half the map has changed since it last moved (an entry read that often is
  never evicted: \`libs/chain/test/bounded-map.spec.ts\`), and the token entry is found by the
  token itself and keeps its hash for the proof's \`ath\`. Two federations side by side, six
  rounds of 2,000 \`/api/whoami\` calls with depth-3 tokens: 1.06× calls per second for 0.90×
  CPU per call. The ratio to \`/health\` moved between 0.26× and 0.53× from round to round in
  those runs, on both builds. The next whoami profile still put 2.6% of the main thread in
  \`LinkCache.getToken\`: a \`Map\` hashes a key string it has not seen whole, ~9 µs for a
  6 KB token (timed alone). The entry is now keyed by the token's signature segment and keeps
  the token, compared whole on a hit; a broker's cache, which remembers no tokens, no longer
  looks. A warm \`verifyChain\` at depth 3 and 5 in process: fastest of seven blocks 17–19 µs,
  22–33 µs before.
- **Tried after these three, not kept** (side by side as above, four rounds; pairwise
  medians for issuance / exchange at the first hop / the second):
  - WAL checkpoints off the commit path. One commit in ten took 10–14 ms (the automatic
    checkpoint every 1,000 WAL pages; a batch writes ~90 pages, mostly index leaves of random
    keys). Checkpoints from a third connection on a timer let the WAL grow without end (SQLite
    restarts it only when the writer begins after a checkpoint that caught up, which a busy
    writer never does); a checkpoint every 8,000 pages instead of 1,000: 1.07× / 1.01×
    tokens per second (issuance / first hop), inside the noise.
  - A larger libuv thread pool (16 threads): 1.02× / 1.08× / 1.01×, inside the noise.
  - The exchange without its revocation look-up at all, the most that overlapping it with the
    other reads could give: 0.96× at the first hop. Not worth a change.
  - \`COMMIT; BEGIN IMMEDIATE\` in one \`exec\` again, after the changes above: 1.02× / 1.15× /
    1.11× with rounds from 0.96× to 1.35×, not clear enough for what it would cost in the
    writer's failure handling (an error must then tell which of the two statements failed).
  - The next batch's \`BEGIN IMMEDIATE\` sent beside the previous \`COMMIT\` as its own
    statement whenever tokens wait (each outcome then stands alone: a \`BEGIN\` that wins the
    race fails with "within a transaction" and is sent again): 1.01× / 0.99× / 1.02× over six
    rounds. A scratch counter showed why: a batch at c=16 takes ~11 tokens, nearly every one in
    flight, and only 10–18% of \`COMMIT\`s found a token waiting, so there was rarely a next
    batch to begin early.
  - A 32 MiB SQLite page cache instead of the default 2 MiB. \`strace\` of broker A's threads
    during issuance counted ~2.7 \`pread64\` per token (index leaves of random keys missing the
    cache, read from the OS's page cache) beside ~5 page writes (two \`pwrite64\` each) and one
    ~1 ms \`fsync\` per batch: 0.98× / 1.01× / 0.96× over six rounds, not kept.
  - A PostgreSQL batch in fewer round trips. The same scratch counter on the PostgreSQL broker
    read a batch of ~9 tokens at c=16 as \`BEGIN\` ~2 ms, its rows ~5.5 ms (the audit head's
    locked read, then four inserts and the head's update one after another), \`COMMIT\` ~1 ms.
    With the four writes sent as one statement (data-modifying \`WITH\` queries), the rows took
    5.3–5.8 ms instead of 5.7–9.1: PostgreSQL's own work dominates, not the round trips. Named
    prepared statements on top (no parse and plan of the batch's long statement each time)
    brought them to ~3 ms. Issuance on PostgreSQL, side by side: 1.02× (eight rounds) and 1.17×
    (three) for the single statement, 0.98× (six) with the prepared statements. Not kept: a
    shorter batch does not raise the throughput. Measured per process from \`/proc\` over the
    same phases (every process on the machine), the PostgreSQL broker issued ~750–835 tokens/s
    at c=16 with ~950 µs of its own CPU per token and ~400 µs of the PostgreSQL server's, well
    under the machine's two cores; at c=64 it issued ~715 tokens/s at ~1,300 µs per token, its
    main thread nearly full. At c=16 the requests wait (replay look-ups, the batch) more than
    the CPU is busy; at c=64 the broker's own CPU per token is the limit, ~100 µs above the
    SQLite broker's (node-postgres' protocol work for ~40 parameters a token).
  - The SQLite write off the main thread. Two scratch builds side by side, issuance only, six
    rounds (pairwise medians): with each batch's write replaced by a 1.6 ms timer (about what
    the batch costs SQLite alone on an idle machine), 1.45× the tokens per second for 0.74× the
    broker's CPU per token; with a 3 ms timer, 1.11×. A real writer on a worker thread with a
    connection of its own (\`BEGIN IMMEDIATE\`, the batch's statements and \`COMMIT\` there,
    one message each way) measured 0.98× the tokens per second for 1.15× the CPU per token: under
    load its batch of ~5 tokens took 3.5 ms in the worker (median; p90 7.6 ms), that thread
    sharing the two cores with the main thread, libuv's pool and the load generator. The durable
    write is about a quarter of the broker's CPU per token (~250 of ~1,000 µs) and most of what
    separates its issuance from the peer's, whose records stay in memory.

- **Where the partner API's whoami time goes** (V8 profile of 4,000 calls with depth-3 tokens,
  then 4,000 \`/health\`, main-thread busy time per call): 631 against 204 µs. Of the 427 µs
  between them, the DPoP proof's ES256 check is ~150 µs (\`crypto.verify\`'s native work and
  its job; ~57 µs timed alone in a quiet process), and the rest is some forty frames of 3–10 µs
  each (Express's router and \`res.json\`, Nest's guard and parameter plumbing, the chain checks
  on cached links, the decision line, the response's view). The bare route and the DPoP check
  alone would give ~0.57× (204 ÷ 354 µs); 0.35× needs about a fifth of those forty frames' time
  gone.
- **A log line below the level costs nothing.** The same profile put 17 µs per call in the
  \`request verified\` observer, whose line is \`info\` with the partner API at \`warn\`:
  nestjs-pino asks for the request's logger before pino drops the line, so each call made a
  child logger for nothing (the broker's \`token issued\` line did the same per token). The Nest
  logger now checks the level first (\`apps/observability/src/create-logging.spec.ts\`); the
  observer fell to 12 µs in the next profile, the metrics it records still counted.
- **The request's DPoP proof checked on the thread pool.** A warm partner API recalls every
  signature of the chain from its link cache; the request's proof, new on every call, is the one
  ES256 check it computes, and its main thread was the limit (busy 89% of the whoami phase).
  \`verifyRequest\` now has node:crypto check that signature as an asynchronous job, after jose's
  header rules and the key selection have run in the main thread as before
  (\`verifyCompactJws(…, { threadPool: true })\`; \`libs/chain/test/verify-jws.spec.ts\` runs every
  spec vector and attack case both ways against jose, and 48 checks started at once, a third of
  them with another JWS's signature, each getting its own verdict). Two federations side by
  side, eight rounds of 2,000 \`/api/whoami\` calls with depth-3 tokens, each followed by 2,000
  \`/health\` (medians): 1.23× the calls per second for 0.97× the CPU per call; whoami against
  \`/health\` 0.27× on the build before, 0.42× on this one. The earlier guess that a resource
  server would only pay the hand-off (above) did not hold: the job runs on the machine's second
  core while the event loop serves the next request. The brokers keep checking inline: with all
  their checks on the pool, the same side-by-side runs read 1.01–1.04× their tokens per second
  for 1.13–1.23× their CPU per token, since their main threads wait for commits, not for CPU.
- **Tried after it, not kept** (two federations side by side, six rounds at c=16; for the first
  two, 2,000 requests per phase and pairwise medians for issuance / exchange at the first hop /
  the second):
  - \`seen_jti\` as a \`WITHOUT ROWID\` table, its key the table's own B-tree, so a single-use
    row updates two B-trees instead of three (two such rows per token): 1.03× / 1.03× / 1.01×
    tokens per second for 0.98× / 0.98× / 0.96× CPU per token, inside the noise and not worth
    rebuilding the table of every existing database.
  - SQLite pages of 1 KiB instead of 4 KiB, so each index leaf a batch changes costs a quarter of
    the WAL bytes: 1.00× / 0.93× / 0.96× for 1.04–1.08× the CPU (a token record, with its chain's
    links, then spans more pages).
  - At the partner API, the chain's signatures on the thread pool as well, one after another in
    the same order (a token the link cache has not seen: its link and hop-proof signatures and
    the token's, seven at depth 3). Six rounds of 1,500 \`/api/whoami\` calls, each with a new
    depth-3 token: 1.01× the calls per second for 1.20× the CPU per call. Seven hand-offs a call
    cost more than they free; only the proof, the one check of a warm call, goes to the pool.
- **A batch's rows as one SQLite statement.** A scratch probe in \`IssuanceWriter\` (not
  committed) timed broker A's batches under the issuance load at p50 6.5 ms for ~13 tokens:
  three waits in a row for the thread pool and a turn of the busy event loop (\`BEGIN
  IMMEDIATE\`, the rows, \`COMMIT\`). A batch is now one unit of writes
  (\`DatabaseTransactions.writeRows\`): on SQLite one INSERT of the writes' values, as one JSON
  parameter, into a TEMP view whose \`INSTEAD OF\` trigger runs them, which SQLite commits by
  itself, all or nothing (\`apps/broker/src/database/sqlite-write-bundle.ts\`, on a connection
  of its own); on PostgreSQL a transaction as before. The same probe then read p50 4 ms for ~5
  tokens. \`row-statements.spec.ts\` checks that every column's value and SQL type come out as
  through bound parameters. Two federations side by side, pairwise medians for issuance /
  exchange at the first hop / the second, over three runs (6, 6 and 10 rounds of 2,000 requests
  at c=16): tokens per second 1.11 / 0.92 / 1.01×, 0.98 / 0.99 / 1.09× and 1.07 / 1.05 / 1.07×;
  CPU per token 0.97 / 1.17 / 1.05×, 1.09 / 1.12 / 0.97× and 1.04 / 1.03 / 1.05×. A small gain
  at most, inside this machine's noise for one run; kept because it makes a batch one write
  whatever the participants add, and the participants' rows data (\`afterSign\` returns them)
  rather than statements run in someone else's transaction.
- **Measured, not kept: the request's log context.** The issuance profile at broker A after the
  change above put ~4% of the main thread in \`async_hooks\` (\`lookupPublicResource\`,
  \`promiseInitHook\`, \`_propagate\`): on Node 20 the \`AsyncLocalStorage\` that carries
  each request's logger (and its \`reqId\`) to every log line written while serving it runs a
  hook for every promise. With it switched off in a scratch build, side by side over eight
  rounds: 1.03× / 1.04× / 1.02× tokens per second (issuance / first hop / second hop) for
  0.95× / 0.96× / 0.95× CPU per token. Not worth log lines that no longer say which request
  they belong to. From Node 24 on, \`AsyncLocalStorage\` is built on \`AsyncContextFrame\`
  by default and runs no such hook.
- **Measured, not kept: what the record costs issuance, and two ways around its wait.** Two
  federations side by side, scratch builds of broker A against this one, four rounds of 2,000
  requests at c=16, pairwise medians for issuance with \`private_key_jwt\` / \`client_secret_basic\`:
  - the unit of writes skipped altogether (a bound, not a change to make): 1.32× / 1.56× tokens
    per second for 0.75× / 0.65× the CPU per token;
  - the unit replaced by a timer of about its length (its wait without its work): 1.05× / 1.28×;
  - no replay pre-check before signing (the unique key at commit still refuses a replay):
    1.02× / 0.99×;
  - two units in flight instead of one, on two statements of the writer's connection, so the
    next one starts on the thread pool without waiting for a turn of the event loop: 0.96× /
    0.91× for 1.11× / 1.07× the CPU (smaller units, each writing its pages whole).

  A scratch probe sampling the requests' states whenever broker A's event loop had a free moment
  found, most often, all 16 requests waiting for units (one committing, the rest queued for the
  next). What separates the issuance targets from the peer is the record: its CPU ("The durable
  write" above) and its commit's wait.

## Fastify against Express

Measured once, 2026-12-04 around 16:55 UTC on this machine (load average ~17 from other jobs,
so absolute CPU is inflated; compare the columns), by a scratch script that is not part of
\`npm run bench\` (it needed \`@nestjs/platform-fastify\`, which Baton did not depend on then): the
partner API's Nest module plus a bare urlencoded POST route (the token endpoint's body shape),
served by each adapter in its own process, c=16, 800 requests per route, 5 alternating rounds;
server CPU per request, medians:

| route | Express | Fastify | Fastify throughput / Express, by round |
| --- | ---: | ---: | --- |
| \`GET /health\` | 707 µs | 371 µs | 2.45, 2.03, 1.01, 1.47, 2.17 |
| \`POST /form\` (urlencoded, 700 bytes) | 871 µs | 408 µs | 2.26, 2.31, 2.13, 1.37, 2.03 |
| \`GET /api/whoami\`, depth-3 token | 2,275 µs | 1,718 µs | 0.98, 1.67, 1.45, 0.90, 2.43 |

Fastify saved 0.3–0.55 ms of CPU per request there. **The broker now serves on Fastify**
(\`@nestjs/platform-fastify\`; the partner API stays on Express). Measured 2026-12-04 20:26–20:31
UTC, load average 1–2.5: broker CPU per request (\`/proc\` utime + stime over 3,000 requests at
c=16, after 500 warm-up, alternating builds), Express then Fastify: RFC 8414 metadata 597 and
713 µs against 390 and 443 µs; a refused \`POST /token\` (form body, throttler, audit event
written) 3,893 and 3,803 µs against 3,377 and 3,603 µs. Two \`npm run bench -- --quick\` run
back to back (base commit, then the switch; load average 2.1–2.4), medians: issuance with
private_key_jwt on SQLite 0.55× → 0.64×, on PostgreSQL 0.38× → 0.44×, client_secret_basic
0.45× → 0.54×, exchange depth 1 0.41× → 0.47×, depth 2 0.31× → 0.44×; server CPU per exchange
depth 1 4.46× → 3.56×, depth 2 4.10× → 3.59×. What the switch kept by hand: the 100 KiB body
limit, at most 1,000 form parameters (413), UTF-8 forms only and no \`Content-Encoding\` (415),
bracketed or repeated form names refused, Fastify's parser errors as RFC 6749 §5.2 JSON, and
requests on keep-alive connections served while the broker closes (\`return503OnClosing: false\`).

## Status lists

Not part of this run: \`npm run bench:status-lists\` (\`bench/status-list.bench.ts\`, Vitest's
bench) measures what checking every link's Token Status List costs once the lists are cached, on
a depth-5 chain whose links each name a list on a loopback server, against \`verifyChain\` of the
same chain with and without a warm link cache. Compare its \`check\` row with the \`verifyChain\`
rows of the same run (the budget is 5% of verifying the chain).`;
