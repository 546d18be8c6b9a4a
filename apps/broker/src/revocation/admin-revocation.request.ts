import { invalidRequest } from '../oauth/oauth-error.js';
import type { RevocationTarget } from './revocation.service.js';

const FIELDS = ['iss', 'jti', 'sub', 'cnf_jkt', 'client_id'];

/**
 * The administrator's JSON body, exactly one of: `{ iss, jti }`, `{ sub }`, `{ cnf_jkt }`,
 * `{ client_id }` — each value a non-empty string of at most 2048 characters.
 */
export function readRevocationTarget(body: unknown): RevocationTarget {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('the body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const names = Object.keys(fields);
  if (names.some((name) => !FIELDS.includes(name))) {
    throw invalidRequest(`the body may only name ${FIELDS.join(', ')}`);
  }
  if (names.some((name) => !isValue(fields[name]))) {
    throw invalidRequest('every value must be a non-empty string');
  }
  const key = [...names].sort().join(',');
  const value = (name: string) => fields[name] as string;
  switch (key) {
    case 'iss,jti':
      return { by: 'token', iss: value('iss'), jti: value('jti') };
    case 'sub':
      return { by: 'subject', sub: value('sub') };
    case 'cnf_jkt':
      return { by: 'agent_key', jkt: value('cnf_jkt') };
    case 'client_id':
      return { by: 'client', clientId: value('client_id') };
    default:
      throw invalidRequest('name exactly one of {iss, jti}, {sub}, {cnf_jkt}, {client_id}');
  }
}

function isValue(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 2048;
}
