/**
 * The `share` percentile of values sorted ascending, by nearest rank: the smallest value
 * that at least that share of them do not exceed (null when there are none).
 */
export function nearestRank(sorted: readonly number[], share: number): number | null {
  return sorted.length ? sorted[Math.ceil(share * sorted.length) - 1]! : null;
}
