import { generateClientSecret, hashClientSecret } from './client-secret.js';

const CLIENT_ID = /^[\x21-\x7E]{1,128}$/;

export const CLIENT_SECRET_USAGE = `Usage: npm run secret -- [<client_id>]

Generate a client secret (baton_cs_ and 32 random bytes, base64url: 256 bits, so it is stored as
a SHA-256 hash, not scrypt) and the clients: entry that stores only
its hash, so the broker never sees the secret. Give the secret to the client; it is not
written anywhere else.
`;

/**
 * What `npm run secret` prints: a fresh secret and the configuration lines holding its hash,
 * computed by the broker's own {@link hashClientSecret}. Throws on a malformed client id.
 */
export function clientSecretCommand(args: readonly string[]): string {
  const clientId = args[0] ?? 'my-client';
  if (args.length > 1 || !CLIENT_ID.test(clientId) || clientId.startsWith('-')) {
    throw new Error(CLIENT_SECRET_USAGE);
  }
  const secret = generateClientSecret();
  return [
    `# Client secret for ${clientId} (give it to the client; it is shown only here):`,
    `#   ${secret}`,
    '# Broker configuration, under clients: (the broker stores only the hash):',
    `  - clientId: ${clientId}`,
    '    authMethod: client_secret_basic',
    `    secretHash: ${hashClientSecret(secret)}`,
    '    scopes: []',
    '',
  ].join('\n');
}
