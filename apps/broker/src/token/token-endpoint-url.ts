/** This domain's token endpoint, derived from its issuer (never from the Host header). */
export function tokenEndpointOf(issuer: string): string {
  return `${issuer}/token`;
}
