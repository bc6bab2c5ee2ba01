/** Summary statistics of benchmark samples; tfjs-free so that Node, the page and tests share them. */

export interface SampleSummary {
  median: number;
  min: number;
  max: number;
}

export function summarizeSamples(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * The order in which configurations run in repetition `rep`: rotated by one each time, so that
 * no configuration always runs first (after a pause) or right after the slowest one.
 */
export function rotation<T>(items: readonly T[], rep: number): T[] {
  const shift = rep % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
