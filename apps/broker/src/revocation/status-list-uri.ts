/** `<issuer>/status-lists/<id>`: where this domain publishes status list `id`, the link's `uri`. */
export function statusListUriOf(issuer: string, id: number): string {
  return `${issuer}/status-lists/${id}`;
}

/** The list id in a `uri` this domain put in a link (the inverse of statusListUriOf), else null. */
export function statusListIdOf(uri: string | undefined): number | null {
  const match = uri === undefined ? null : /\/status-lists\/([1-9][0-9]{0,8})$/.exec(uri);
  return match === null ? null : Number(match[1]);
}
