/** The schedule fields of a stored key (epoch seconds). */
export interface ScheduledKey {
  kid: string;
  alg: string;
  activatesAt: number;
  retiresAt: number | null;
  expiresAt: number | null;
}

export interface KeySchedulePolicy {
  algorithm: string;
  rotationIntervalSeconds: number;
  prePublishSeconds: number;
  /** How long a retired key stays published: the longest token lifetime plus clock skew. */
  retentionSeconds: number;
}

export interface RotationPlan {
  /** When the new key starts signing. */
  activatesAt: number;
  /** The key it replaces, with its retirement and removal from the JWKS; absent for the first key. */
  predecessor?: { kid: string; retiresAt: number; expiresAt: number };
}

/** How long a replica trusts its cached view of the keys before reading them again. */
export const MAX_CACHE_SECONDS = 60;

const newestFirst = (a: ScheduledKey, b: ScheduledKey): number =>
  b.activatesAt - a.activatesAt || (a.kid < b.kid ? 1 : a.kid > b.kid ? -1 : 0);

/**
 * The key that signs at `now`: the newest key whose activation has come. A pure function of the
 * stored rows, so every replica reading the same rows picks the same key.
 */
export function activeKey<K extends ScheduledKey>(keys: readonly K[], now: number): K | undefined {
  return [...keys]
    .sort(newestFirst)
    .find((key) => key.activatesAt <= now && (key.expiresAt === null || key.expiresAt > now));
}

/** Keys in the JWKS at `now`: every stored key until its expiry, newest first (pre-published ones included). */
export function publishedKeys<K extends ScheduledKey>(keys: readonly K[], now: number): K[] {
  return [...keys].sort(newestFirst).filter((key) => key.expiresAt === null || key.expiresAt > now);
}

/**
 * Whether a new key is due at `now`, and its timing. The successor is published at least
 * `prePublishSeconds` before it signs, so verifiers that cache the JWKS learn it first; the
 * predecessor stays published until every token it signed has expired.
 */
export function rotationPlan(
  keys: readonly ScheduledKey[],
  now: number,
  policy: KeySchedulePolicy,
): RotationPlan | undefined {
  const latest = [...keys].sort(newestFirst)[0];
  if (latest === undefined) {
    return { activatesAt: now };
  }
  const algorithmChanged = latest.alg !== policy.algorithm;
  const scheduled = latest.activatesAt + policy.rotationIntervalSeconds;
  if (!algorithmChanged && now < scheduled - policy.prePublishSeconds) {
    return undefined;
  }
  // A late or forced rotation still pre-publishes: the new key never signs before verifiers can know it.
  const activatesAt = algorithmChanged
    ? now + policy.prePublishSeconds
    : Math.max(scheduled, now + policy.prePublishSeconds);
  return {
    activatesAt,
    predecessor: {
      kid: latest.kid,
      retiresAt: activatesAt,
      expiresAt: activatesAt + policy.retentionSeconds,
    },
  };
}

/** When the cached view must be read again: the next activation, expiry or rotation, at most a minute away. */
export function nextCheckAt(
  keys: readonly ScheduledKey[],
  now: number,
  policy: KeySchedulePolicy,
): number {
  const candidates = [now + MAX_CACHE_SECONDS];
  const latest = [...keys].sort(newestFirst)[0];
  if (latest !== undefined) {
    candidates.push(latest.activatesAt + policy.rotationIntervalSeconds - policy.prePublishSeconds);
  }
  for (const key of keys) {
    candidates.push(key.activatesAt, key.expiresAt ?? Infinity);
  }
  return Math.max(now + 1, Math.min(...candidates.filter((time) => time > now)));
}
