/** `<issuer>/status-lists/<id>`: where this domain publishes status list `id`, the link's `uri`. */
export function statusListUriOf(issuer: string, id: number): string {
  return `${issuer}/status-lists/${id}`;
}
