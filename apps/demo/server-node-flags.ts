/**
 * The Node flags every Baton server process runs with: the demo's children, the bench's servers,
 * the Dockerfile's CMD and `npm run start:broker` (server-node-flags.spec.ts keeps those two in
 * step with this list).
 *
 * `--max-semi-space-size=32` (MiB; Node 20's default is 16): a token request allocates its
 * parsed JWTs, claims and buffers in V8's young generation, and a larger one is scavenged less
 * often and promotes fewer short-lived objects. Alternating scratch runs of two federations at
 * c=16 measured 6–9% less broker CPU per token and 5–10% more tokens per second with it; 64 did
 * no better. The young generation may then hold up to 48 MiB more.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
