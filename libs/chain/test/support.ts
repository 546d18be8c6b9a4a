import { expect } from 'vitest';
import { ChainError, type ChainErrorCode, type Invariant } from '@baton/chain';

/** Runs `action`, expects a ChainError with `code` (and `invariant`), returns it for more asserts. */
export async function expectChainError(
  action: () => Promise<unknown>,
  code: ChainErrorCode,
  invariant?: Invariant,
): Promise<ChainError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(ChainError);
  const error = caught as ChainError;
  expect({ code: error.code, detail: error.detail }).toMatchObject({ code });
  if (invariant !== undefined) {
    expect(error.invariant).toBe(invariant);
  }
  return error;
}
