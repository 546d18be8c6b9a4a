export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A target: the median of per-round values must be at least (or at most) `bound`. */
export interface Target {
  id: string;
  work: string;
  against: string;
  kind: 'at-least' | 'at-most';
  bound: number;
  /** One value per round. */
  values: number[];
}

export interface TargetOutcome extends Target {
  median: number;
  min: number;
  max: number;
  met: boolean;
  /** How far from the bound, as a share of it (positive = better than needed). */
  margin: number;
}

export function judge(target: Target): TargetOutcome {
  const m = median(target.values);
  const met = target.kind === 'at-least' ? m >= target.bound : m <= target.bound;
  const margin = target.kind === 'at-least' ? m / target.bound - 1 : 1 - m / target.bound;
  return {
    ...target,
    median: m,
    min: Math.min(...target.values),
    max: Math.max(...target.values),
    met,
    margin,
  };
}
