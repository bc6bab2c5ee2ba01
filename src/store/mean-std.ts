export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n − 1), as over seeds in the paper's tables; 0 for one value. */
  std: number;
  n: number;
}

/** Mean and sample std of the finite, non-null values; null when there are none. */
export function meanStd(values: readonly (number | null)[]): MeanStd | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return null;
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? finite.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}
