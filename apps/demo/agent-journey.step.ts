import type { DemoStep } from './demo-process.js';
import { runAgentJourney, type AgentJourneyOptions } from './agent-journey.js';
import { renderJourneyReport } from './agent-journey-report.js';
import { JOURNEY_FILES, writeJourneyFiles } from './journey-files.js';
import { readFederationManifest, type FederationManifest } from './manifest.js';
import { readAgentPrivateJwk } from './manifest-sources.js';

/**
 * The journey's inputs taken from the manifest alone (what anyone repeating it by hand has):
 * origin A, exchanged at A toward B and at B toward C, then `GET <partner API>/api/whoami`.
 */
export async function journeyOptionsFromManifest(
  root: string,
  manifest: FederationManifest,
  path: readonly [string, string, string] = ['a', 'b', 'c'],
): Promise<Omit<AgentJourneyOptions, 'log'>> {
  const [origin, via, target] = path.map((name) => {
    const domain = manifest.domains[name];
    if (domain === undefined) {
      throw new Error(`the manifest has no domain "${name}"`);
    }
    return { issuer: domain.issuer, clientId: manifest.agent.clients[name]?.clientId };
  });
  if (origin.clientId === undefined || via.clientId === undefined) {
    throw new Error(`the agent is not registered at ${path[0]} and ${path[1]}`);
  }
  const whoami = manifest.partnerApi.routes.find((route) => route.path === '/api/whoami');
  return {
    privateJwk: await readAgentPrivateJwk(root, manifest.agent.privateKeyFile),
    origin: { issuer: origin.issuer, clientId: origin.clientId },
    via: { issuer: via.issuer, clientId: via.clientId },
    target: { issuer: target.issuer },
    resourceUrl: whoami?.url ?? `${manifest.partnerApi.url}/api/whoami`,
  };
}

/** The demo agent's journey A → B → C and its call to the partner API, printed for a person. */
export const agentJourneyStep: DemoStep = {
  name: 'agent journey',
  async run({ root, issuers, log }) {
    const manifest = await readFederationManifest(root);
    const options = await journeyOptionsFromManifest(root, manifest);
    const labels = Object.fromEntries(
      Object.entries(issuers).map(([name, issuer]) => [issuer, name.toUpperCase()]),
    );
    log(
      'The demo agent carries its key across A → B → C (@baton/agent on oauth4webapi: DPoP, private_key_jwt):',
    );
    const indent = (line: string): void => log(`  ${line}`);
    const result = await runAgentJourney({ ...options, log: indent });
    log('');
    renderJourneyReport(result, labels).forEach(log);
    log('');
    await writeJourneyFiles(
      root,
      result.tokens,
      Object.entries(issuers).map(([name, issuer]) => ({
        issuer,
        configFile: `config/${name}.yaml`,
      })),
    );
    const [, , t2] = JOURNEY_FILES.tokens;
    log(`The journey's tokens: ${JOURNEY_FILES.tokens.join(', ')} (T0 at A, T1 for B, T2 for C).`);
    log(`Try:  npx baton inspect @${t2}`);
    log(
      `      npx baton verify @${t2} --trust ${JOURNEY_FILES.trust} --audience ${options.target.issuer}`,
    );
    log(`      npx baton trace @${JOURNEY_FILES.tokens[0]} --auditors ${JOURNEY_FILES.auditors}`);
    log('');
  },
};
