import { endpointUrlProblem } from '@baton/chain/protocol';

/**
 * Why a string is not an acceptable base URL or resource identifier, or undefined when it is:
 * an endpoint URL (the chain library's rule, which trust configuration applies too) without a
 * query, so that paths can be appended and it compares exactly.
 */
export function baseUrlProblem(value: unknown): string | undefined {
  const problem = endpointUrlProblem(value);
  if (problem !== undefined) {
    return problem;
  }
  if ((value as string).includes('?')) {
    return 'must not contain a query';
  }
  return undefined;
}
