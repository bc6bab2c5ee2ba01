/** One sequential colour scale for loss heatmaps, and the range several landscapes share. */

/** Viridis-like stops, dark blue (low loss) to bright yellow (high loss): perceptually even and readable in greyscale. */
export const PALETTE: readonly string[] = ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#fde725'];

/** The colour of missing or non-finite values. */
export const NO_VALUE_COLOR = '#9aa0a6';

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const STOPS = PALETTE.map(rgb);

function hex2(v: number): string {
  return Math.round(v).toString(16).padStart(2, '0');
}

/** The palette at position t in [0, 1] (clamped), interpolated between stops in RGB. */
export function paletteColor(t: number): string {
  if (!Number.isFinite(t)) return NO_VALUE_COLOR;
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - k;
  const [a, b] = [STOPS[k], STOPS[k + 1]];
  return `#${hex2(a[0] + (b[0] - a[0]) * f)}${hex2(a[1] + (b[1] - a[1]) * f)}${hex2(a[2] + (b[2] - a[2]) * f)}`;
}

/** Position of value in [min, max] as 0..1 (unclamped); in log space when `log` and min > 0. */
export function scalePosition(value: number, min: number, max: number, log: boolean): number {
  if (!(max > min)) return 0;
  if (log && min > 0) {
    if (!(value > 0)) return 0;
    return (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min));
  }
  return (value - min) / (max - min);
}

/** The inverse of scalePosition: the value at position t. */
export function scaleValue(t: number, min: number, max: number, log: boolean): number {
  if (log && min > 0 && max > min) return Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min)));
  return min + t * (max - min);
}

/** Maps a value to its colour; values outside [min, max] take the end colours, non-finite ones grey. */
export function colorScale(min: number, max: number, log: boolean): (value: number) => string {
  return (value) => (Number.isFinite(value) ? paletteColor(scalePosition(value, min, max, log)) : NO_VALUE_COLOR);
}

/**
 * One range over several grids so they share a colour scale. The top is clipped at `clipQuantile`
 * of the finite values (1 for no clip): one exploding corner would otherwise wash out every basin.
 */
export function sharedRange(grids: number[][][], clipQuantile = 0.98): { min: number; max: number } {
  const values = grids.flatMap((g) => g.flatMap((row) => row.filter((v) => Number.isFinite(v))));
  if (values.length === 0) return { min: 0, max: 1 };
  values.sort((a, b) => a - b);
  const q = Math.min(1, Math.max(0, clipQuantile));
  const at = q * (values.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(values.length - 1, lo + 1);
  const max = values[lo] + (values[hi] - values[lo]) * (at - lo);
  return { min: values[0], max };
}
