import { relative } from 'node:path';
import type { DemoStep } from './demo-process.js';
import { buildFederationManifest, writeFederationManifest } from './manifest.js';
import { loadDemoManifestSources } from './manifest-sources.js';

/** Writes `.baton/federation.json` as soon as the federation is up (before the journey). */
export const writeManifestStep: DemoStep = {
  name: 'federation manifest',
  async run({ root, log }) {
    const manifest = await buildFederationManifest(await loadDemoManifestSources(root));
    const path = await writeFederationManifest(root, manifest);
    log(
      `Federation manifest: ${relative(root, path)} (endpoints, demo clients and keys; see docs/demo.md)`,
    );
    log('');
  },
};
