export const MAIN_USAGE = `Usage: baton <command> [options]

Audit Baton delegation chains.

Commands:
  inspect <token>   draw the chain as decoded, WITHOUT verifying anything
  verify <token>    verify the chain against a trust file, offline or with discovery
  trace <token>     the chain and every token derived from it, across the domains you audit
  help [command]    show this help, or a command's

<token> is the compact token itself, @path to read it from a file, or - for standard input.

Options:
  -h, --help        show help
  -v, --version     print the version

Exit status: 0 valid (verify) or decoded (inspect), 1 verification failed, 2 usage error,
3 input malformed, 70 internal error. See docs/cli.md.
`;

export const INSPECT_USAGE = `Usage: baton inspect <token|@file|-> [--json]

Decode a delegated token and draw its chain, one hop per link: domain, actor, audience,
scope, iat/exp, jti, the agent key thumbprint, the signing key, the subject token each
exchange consumed and the agent's hop proof. Nothing is verified.

Options:
  --json            print one JSON document instead of the tree
  -h, --help        show this help
`;

export const VERIFY_USAGE = `Usage: baton verify <token|@file|-> --trust <file> [options]

Verify every invariant of the chain (signatures, continuity, key binding, hop proofs,
attenuation, hash chaining, act nesting, depth, expiry) with the trust file's issuers.

Options:
  --trust <file>      JSON trust file: { "issuers": [ { "issuer", "jwks", "tokenEndpoint" }
                      or { "issuer", "discover": true }, optional "roles", "algorithms" ] },
                      or a broker's audit export (.jsonl: every key it ever signed with);
                      repeat --trust for several files
  --audience <id>     the verifier the token must be addressed to
                      (default: the token's own aud, which is then not checked)
  --now <time>        verify as of this time: seconds since 1970 or ISO 8601
                      (2026-11-26T23:23:08Z) (default: now)
  --max-depth <n>     most links accepted (default 5)
  --json              print one JSON document
  -h, --help          show this help
`;

export const TRACE_USAGE = `Usage: baton trace <token|@file|-> --auditors <file> [--json]

Draw one tree: the token's chain from its origin (decoded from the token), and every token any
listed domain derived from a hop of it, transitively, fan-out included. Each domain's auditor
API is asked by (iss, jti); the token itself is never sent.

Options:
  --auditors <file>   JSON { "domains": [ { "issuer", "credential": "<auditor id>.<secret>"
                      (or "credentialEnv": "VAR"), optional "url" } ] }
  --json              print one JSON document
  -h, --help          show this help

Exit status: 0 every domain answered, 1 the tree is incomplete (a domain could not be asked).
`;
