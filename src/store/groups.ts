/**
 * Seed groups in charts and tables: runs that differ only in the seed are drawn as their mean
 * with a ±1 standard-deviation band, and summarised as mean ± std (sample std, n − 1), as the
 * paper's tables report them. Pure functions over run records.
 */
import type { RunRecord } from '../engine/run-record';
import { epochXs, metricValue, type MetricKey, type Point, type XAxisKind } from './compare';
import { meanStd } from './mean-std';
import type { RunEntry } from './runs';

/** What one line of a chart stands for: one run, or the selected members of a seed group. */
export interface ChartSubject {
  /** The run's id, or the group's id. */
  id: string;
  name: string;
  color: string;
  /** The runs behind it, in list order; more than one for a group. */
  entries: RunEntry[];
}

/**
 * The selected runs as chart subjects: the members of a seed group (two or more of them
 * selected) become one subject, named and coloured after the group's first run, at its place.
 */
export function chartSubjects(entries: readonly RunEntry[]): ChartSubject[] {
  const counts = new Map<string, number>();
  for (const e of entries) if (e.record.group) counts.set(e.record.group.id, (counts.get(e.record.group.id) ?? 0) + 1);
  const subjects: ChartSubject[] = [];
  const byGroup = new Map<string, ChartSubject>();
  for (const e of entries) {
    const group = e.record.group;
    if (!group || (counts.get(group.id) ?? 0) < 2) {
      subjects.push({ id: e.record.id, name: e.record.name, color: e.color, entries: [e] });
      continue;
    }
    const existing = byGroup.get(group.id);
    if (existing) {
      existing.entries.push(e);
      continue;
    }
    const subject: ChartSubject = { id: group.id, name: group.name, color: e.color, entries: [e] };
    byGroup.set(group.id, subject);
    subjects.push(subject);
  }
  return subjects;
}

/**
 * Points of one metric for a subject under `key`: a run's own values, or a group's mean per
 * epoch (over the members that reached it) with `key:lo` and `key:hi` at mean ∓ std. On the
 * time axis a group's x is the members' mean training time at that epoch.
 */
export function subjectPoints(subject: ChartSubject, metric: MetricKey, axis: XAxisKind, key: string): Point[] {
  const records = subject.entries.map((e) => e.record);
  if (records.length === 1) {
    const [r] = records;
    const xs = epochXs(r, axis);
    return r.epochs.map((e, i) => ({ series: key, x: xs[i], y: metricValue(e, metric) }));
  }
  const byEpoch = new Map<number, { xs: number[]; ys: number[] }>();
  for (const r of records) {
    const xs = epochXs(r, axis);
    r.epochs.forEach((e, i) => {
      const at = byEpoch.get(e.epoch) ?? { xs: [], ys: [] };
      at.xs.push(xs[i]);
      at.ys.push(metricValue(e, metric));
      byEpoch.set(e.epoch, at);
    });
  }
  const points: Point[] = [];
  for (const [, at] of [...byEpoch].sort((a, b) => a[0] - b[0])) {
    const y = meanStd(at.ys);
    const x = meanStd(at.xs);
    if (!y || !x) continue;
    points.push({ series: key, x: x.mean, y: y.mean });
    points.push({ series: bandKey(key, 'lo'), x: x.mean, y: y.mean - y.std });
    points.push({ series: bandKey(key, 'hi'), x: x.mean, y: y.mean + y.std });
  }
  return points;
}

export function bandKey(key: string, end: 'lo' | 'hi'): string {
  return `${key}:${end}`;
}

export function isGroup(subject: ChartSubject): boolean {
  return subject.entries.length > 1;
}

/** The records of a subject. */
export function subjectRecords(subject: ChartSubject): RunRecord[] {
  return subject.entries.map((e) => e.record);
}
