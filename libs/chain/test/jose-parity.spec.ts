/**
 * The suites below, run again with jose checking every signature itself (no node:crypto fast
 * path): every spec vector and every attack case must get the same answer on both paths.
 */
import { useNodeSignatures } from '../src/lib/node-signatures.js';

useNodeSignatures(false);
await import('./verify-chain.attacks.spec.js');
await import('./verify-chain.rogue-domain.attacks.spec.js');
await import('./spec-vectors.spec.js');
await import('./verify-dpop-proof.spec.js');
await import('./request-verify.spec.js');
