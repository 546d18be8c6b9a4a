/**
 * What checking every link's status list costs once the lists are cached (issue 11: at most 5%
 * of verifying the chain at depth 5). Each link names a list on a real loopback server; the
 * client fetched each list once before the timed runs. Ratios only, within one run.
 */
import { bench, describe } from 'vitest';
import {
  createStatusList,
  decodeChain,
  LinkCache,
  StatusListClient,
  verifyChain,
} from '@baton/chain';
import { signStatusListToken } from '@baton/chain/issue';
import { createFederation } from '../libs/chain/test/fixtures/federation.js';
import { startKeyServer } from '../libs/chain/test/fixtures/key-server.js';

const DOMAINS = ['a', 'b', 'c', 'd', 'e'];

const server = await startKeyServer();
const fed = await createFederation({
  domains: DOMAINS,
  issuers: Object.fromEntries(DOMAINS.map((d) => [d, server.issuerFor(d)])),
});
const now = fed.now();
const chain = await fed.issueChain({
  ttl: 3600,
  tamper: {
    linkClaims: (i, claims) => {
      claims.status = { status_list: { idx: 4096 + i, uri: `${claims.iss}/status/1` } };
    },
  },
});
for (const name of DOMAINS) {
  const domain = fed.domains[name];
  const list = await signStatusListToken(
    { sub: `${domain.issuer}/status/1`, iat: now, ttl: 3600 },
    createStatusList(1, 65536),
    domain.key,
  );
  server.override(`/${name}/status/1`, { body: list });
}
const trust = fed.trustStore();
const statusLists = new StatusListClient();
const links = decodeChain(chain.token).links.map((link) => link.claims);
const plain = fed.verifyOptions({ trust, now });
const withStatus = fed.verifyOptions({ trust, now, statusLists });
const warm = fed.verifyOptions({ trust, now, linkCache: new LinkCache() });
const warmWithStatus = fed.verifyOptions({ trust, now, linkCache: new LinkCache(), statusLists });
for (const options of [plain, withStatus, warm, warmWithStatus]) {
  await verifyChain(chain.token, options);
}

describe('depth 5, status lists cached', () => {
  bench('status of every link alone (StatusListClient.check)', async () => {
    await statusLists.check(links, trust, now);
  });
  bench('verifyChain, no link cache, no status lists', async () => {
    await verifyChain(chain.token, plain);
  });
  bench('verifyChain, no link cache, status lists', async () => {
    await verifyChain(chain.token, withStatus);
  });
  bench('verifyChain, warm link cache, no status lists', async () => {
    await verifyChain(chain.token, warm);
  });
  bench('verifyChain, warm link cache, status lists', async () => {
    await verifyChain(chain.token, warmWithStatus);
  });
});
