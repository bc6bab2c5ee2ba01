/**
 * What the charts and the comparison table show, derived from run records: pure functions,
 * so they are tested in Node and memoised in components.
 */
import type { EpochRecord, RunRecord } from '../engine/run-record';
import { METRIC_DEFS, type MetricDef, type MetricKey } from './metrics';
import { meanStd } from './mean-std';
import { methodOf, presetLabelOf } from './settings';

export type { MetricDef, MetricKey } from './metrics';

/** The comparison's metrics: the registry's epoch metrics. */
export const METRICS: readonly MetricDef[] = METRIC_DEFS;

export function metricDef(key: MetricKey): MetricDef {
  return METRICS.find((m) => m.key === key) ?? METRICS[0];
}

export type XAxisKind = 'epoch' | 'time';

/** A chart row: the x value and one y value per series, under `seriesField(key)` (absent where a series has no point). */
export type ChartRow = { x: number } & Record<string, number | null>;

/**
 * The row field that holds a series' values. Series keys are run ids, which come from
 * imported files: prefixed, none can collide with `x` (or with anything else in the row).
 */
export function seriesField(key: string): string {
  return `s:${key}`;
}

export interface Point {
  series: string;
  x: number;
  y: number;
}

/** Merges points of several series into rows sorted by x (series sharing an x share a row). */
export function mergeRows(points: readonly Point[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    let row = rows.get(p.x);
    if (!row) {
      row = { x: p.x } as ChartRow;
      rows.set(p.x, row);
    }
    row[seriesField(p.series)] = p.y;
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/** x of each epoch: its number, or the training seconds elapsed at its end. */
export function epochXs(record: RunRecord, axis: XAxisKind): number[] {
  let t = 0;
  return record.epochs.map((e) => {
    t += e.seconds;
    return axis === 'epoch' ? e.epoch : t;
  });
}

export function metricValue(e: EpochRecord, metric: MetricKey): number {
  const v = e[metric];
  return metricDef(metric).percent ? v * 100 : v;
}

/** Points of one metric for one run, under the given series key. */
export function metricPoints(record: RunRecord, metric: MetricKey, axis: XAxisKind, series: string): Point[] {
  const xs = epochXs(record, axis);
  return record.epochs.map((e, i) => ({ series, x: xs[i], y: metricValue(e, metric) }));
}

/**
 * At most `maxPoints` points of a per-step series: bucket means, x at the bucket's last step
 * (1-based). Keeps the chart fast on long runs.
 */
export function downsample(values: readonly number[], maxPoints: number): { x: number; y: number }[] {
  const n = values.length;
  if (n === 0) return [];
  const size = Math.max(1, Math.ceil(n / maxPoints));
  const out: { x: number; y: number }[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      if (Number.isFinite(values[i])) {
        sum += values[i];
        count++;
      }
    }
    if (count > 0) out.push({ x: end, y: sum / count });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The comparison table

export interface SummaryRow {
  /** The run's id, or the seed group's. */
  id: string;
  name: string;
  method: string;
  /** Epochs done (a group: the fewest of its runs). */
  epochs: number;
  /** Runs behind the row: 1, or a seed group's selected members. */
  seeds: number;
  finalTestAcc: number | null;
  /** Sample std over the group's seeds; null for a single run. */
  finalTestAccStd: number | null;
  bestTestAcc: number | null;
  bestTestAccStd: number | null;
  imagesPerSec: number | null;
  /** Mean training seconds per epoch, leaving out the first (warm-up) when there are more. */
  secondsPerEpoch: number | null;
  /** This row's images/s over the baseline's; null without both. */
  speedup: number | null;
  /** Final test accuracy minus the SGD row's (in the same table), as a fraction; null without one. */
  accVsSgd: number | null;
}

/** One row of the table: a run, or the runs of a seed group. */
export interface SummarySubject {
  id: string;
  name: string;
  records: readonly RunRecord[];
}

export function secondsPerEpoch(record: RunRecord): number | null {
  const timed = record.epochs.length > 1 ? record.epochs.slice(1) : record.epochs;
  if (timed.length === 0) return null;
  return timed.reduce((s, e) => s + e.seconds, 0) / timed.length;
}

/** The default baseline: the newest SAM run among these, else the first run. */
export function defaultBaseline(records: readonly RunRecord[]): string | null {
  const sam = [...records].reverse().find((r) => r.config.optimizer.name === 'sam');
  return (sam ?? records[0])?.id ?? null;
}

/** The Table 3 row label of a run ("ESAM-SWP"), with an A for ASAM; otherwise the method in words. */
function methodLabel(r: RunRecord): string {
  const preset = presetLabelOf(r.config);
  if (!preset) return methodOf(r.config);
  return r.config.optimizer.adaptive ? `A${preset}` : preset;
}

/** One row per run. */
export function summaryRows(records: readonly RunRecord[], baselineId: string | null): SummaryRow[] {
  return subjectSummaryRows(
    records.map((r) => ({ id: r.id, name: r.name, records: [r] })),
    baselineId,
  );
}

/**
 * One row per subject: a run's own numbers, or a seed group's means (± sample std for the
 * accuracies). `baselineId` may name a run inside a group: the group's mean speed is the base.
 */
export function subjectSummaryRows(subjects: readonly SummarySubject[], baselineId: string | null): SummaryRow[] {
  const rows = subjects.map((subject): SummaryRow => {
    const rs = subject.records;
    const final = meanStd(rs.map((r) => r.summary.finalTestAcc));
    const best = meanStd(rs.map((r) => r.summary.bestTestAcc));
    const group = rs.length > 1;
    return {
      id: subject.id,
      name: subject.name,
      method: methodLabel(rs[0]),
      epochs: Math.min(...rs.map((r) => r.epochs.length)),
      seeds: rs.length,
      finalTestAcc: final?.mean ?? null,
      finalTestAccStd: group && final ? final.std : null,
      bestTestAcc: best?.mean ?? null,
      bestTestAccStd: group && best ? best.std : null,
      imagesPerSec: meanStd(rs.map((r) => r.summary.imagesPerSec))?.mean ?? null,
      secondsPerEpoch: meanStd(rs.map(secondsPerEpoch))?.mean ?? null,
      speedup: null,
      accVsSgd: null,
    };
  });
  const baseIndex = subjects.findIndex((s) => s.id === baselineId || s.records.some((r) => r.id === baselineId));
  const base = baseIndex >= 0 ? rows[baseIndex].imagesPerSec : null;
  const sgdIndex = subjects.findLastIndex((s, i) => s.records[0].config.optimizer.name === 'sgd' && rows[i].finalTestAcc !== null);
  const sgd = sgdIndex >= 0 ? rows[sgdIndex] : null;
  return rows.map((row, i) => ({
    ...row,
    speedup: row.imagesPerSec !== null && base !== null && base > 0 ? row.imagesPerSec / base : null,
    accVsSgd: sgd && i !== sgdIndex && row.finalTestAcc !== null && sgd.finalTestAcc !== null ? row.finalTestAcc - sgd.finalTestAcc : null,
  }));
}

/** "71.2 ± 0.8%" for a group, "71.2%" for a run. */
export function formatPercentStd(mean: number | null, std: number | null, digits = 1): string {
  if (std === null || mean === null || !Number.isFinite(mean)) return formatPercent(mean, digits);
  return `${(mean * 100).toFixed(digits)} ± ${(std * 100).toFixed(digits)}%`;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function formatPercent(fraction: number | null, digits = 1): string {
  return fraction === null || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(digits)}%`;
}

export function formatSpeedup(ratio: number | null, baselineName: string): string {
  return ratio === null ? '—' : `${ratio.toFixed(2)}× ${baselineName}`;
}

export function formatNumber(v: number | null, digits = 1): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
