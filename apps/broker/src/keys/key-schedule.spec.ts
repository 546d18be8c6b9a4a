import { describe, expect, it } from 'vitest';
import {
  activeKey,
  nextCheckAt,
  publishedKeys,
  rotationPlan,
  type KeySchedulePolicy,
  type ScheduledKey,
} from './key-schedule.js';

const policy: KeySchedulePolicy = {
  algorithm: 'ES256',
  rotationIntervalSeconds: 1000,
  prePublishSeconds: 100,
  retentionSeconds: 330,
};
const key = (
  kid: string,
  activatesAt: number,
  extra: Partial<ScheduledKey> = {},
): ScheduledKey => ({
  kid,
  alg: 'ES256',
  activatesAt,
  retiresAt: null,
  expiresAt: null,
  ...extra,
});

describe('key schedule', () => {
  it('creates the first key active at once', () => {
    expect(rotationPlan([], 50, policy)).toEqual({ activatesAt: 50 });
  });

  it('plans the successor prePublishSeconds ahead and retires the predecessor at its activation', () => {
    expect(rotationPlan([key('a', 0)], 899, policy)).toBeUndefined();
    expect(rotationPlan([key('a', 0)], 900, policy)).toEqual({
      activatesAt: 1000,
      predecessor: { kid: 'a', retiresAt: 1000, expiresAt: 1330 },
    });
  });

  it('still pre-publishes when the rotation is late (the process was down)', () => {
    expect(rotationPlan([key('a', 0)], 5000, policy)).toMatchObject({ activatesAt: 5100 });
  });

  it('rotates ahead of schedule when the configured algorithm changed', () => {
    expect(rotationPlan([key('a', 0, { alg: 'PS256' })], 10, policy)).toMatchObject({
      activatesAt: 110,
    });
  });

  it('derives the active key from the rows alone, whatever their order', () => {
    const rows = [key('b', 1000), key('a', 0, { retiresAt: 1000, expiresAt: 1330 })];
    expect(activeKey(rows, 999)?.kid).toBe('a');
    expect(activeKey([...rows].reverse(), 1000)?.kid).toBe('b');
    expect(activeKey([key('x', 5), key('y', 5)], 5)?.kid).toBe('y');
  });

  it('publishes pre-published and retired keys until they expire', () => {
    const rows = [key('b', 1000), key('a', 0, { retiresAt: 1000, expiresAt: 1330 })];
    expect(publishedKeys(rows, 950).map((k) => k.kid)).toEqual(['b', 'a']);
    expect(publishedKeys(rows, 1329).map((k) => k.kid)).toEqual(['b', 'a']);
    expect(publishedKeys(rows, 1330).map((k) => k.kid)).toEqual(['b']);
  });

  it('re-reads at the next transition and at least every minute', () => {
    expect(nextCheckAt([key('a', 0)], 10, policy)).toBe(70);
    expect(nextCheckAt([key('a', 0)], 880, policy)).toBe(900);
    expect(nextCheckAt([key('b', 1000), key('a', 0, { expiresAt: 1330 })], 990, policy)).toBe(1000);
  });
});
