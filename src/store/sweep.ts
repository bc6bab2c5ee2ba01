/**
 * The paper's Fig. 3 as a queue of runs: ESAM-SWP over a grid of β and/or ESAM-SDS over a grid
 * of γ, on the same data, model and seed, optionally with SGD, SAM and ESAM as references.
 * Pure: planning, grouping the runs of a sweep back together, progress, and the export format.
 */
import type { RunRecord } from '../engine/run-record';
import type { LiveProgress, RunEntry } from './runs';
import { applyPreset, type Settings } from './settings';

export type SweepParam = 'beta' | 'gamma';
export type SweepRole = SweepParam | 'sgd' | 'sam' | 'esam';

/** Marks a run as part of a sweep (kept with the run in this browser; run JSON is unchanged). */
export interface SweepTag {
  sweepId: string;
  sweepName: string;
  role: SweepRole;
  /** β or γ of a grid run; null for the references. */
  value: number | null;
}

export interface SweepSpec {
  params: SweepParam[];
  from: number;
  to: number;
  step: number;
  /** Also queue SGD, SAM and ESAM (the panel's β and γ) as isolated dots. */
  references: boolean;
}

export const DEFAULT_SWEEP: SweepSpec = { params: ['beta'], from: 0.3, to: 0.9, step: 0.1, references: true };
export const MAX_SWEEP_VALUES = 20;
export const SWEEP_FORMAT = 'esam-playground/sweep@1';

const SYMBOL: Record<SweepParam, string> = { beta: 'β', gamma: 'γ' };

/** from, from + step, …, up to `to` (inclusive, within rounding); rounded to 6 decimals. */
export function sweepValues(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  if (!(step > 0) || !(to >= from)) return values;
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  for (let i = 0; i < count && i <= MAX_SWEEP_VALUES; i++) values.push(Number((from + i * step).toFixed(6)));
  return values;
}

/** What is wrong with a sweep, in words (empty when it can be queued). */
export function sweepErrors(spec: SweepSpec, batchSize: number): string[] {
  const errors: string[] = [];
  if (spec.params.length === 0) errors.push('Choose β, γ or both to sweep.');
  const finite = [spec.from, spec.to, spec.step].every(Number.isFinite);
  if (!finite || spec.from <= 0 || spec.to >= 1) errors.push(`The grid must lie inside (0, 1): got ${spec.from} to ${spec.to}.`);
  if (!(spec.step > 0)) errors.push(`The step must be > 0, got ${spec.step}.`);
  else if (spec.to < spec.from) errors.push(`“to” (${spec.to}) is below “from” (${spec.from}).`);
  else if (finite && Math.floor((spec.to - spec.from) / spec.step + 1e-9) + 1 > MAX_SWEEP_VALUES) {
    errors.push(`The grid has more than ${MAX_SWEEP_VALUES} values; take a larger step.`);
  }
  if (spec.params.includes('gamma') && finite && Math.floor(spec.from * batchSize) < 1) {
    errors.push(`γ = ${spec.from} selects no sample of a batch of ${batchSize}.`);
  }
  return errors;
}

export interface PlannedRun {
  settings: Settings;
  name: string;
  tag: SweepTag;
}

/** Every run of the sweep, in queue order: references first, then each grid in ascending order. */
export function planSweep(base: Settings, spec: SweepSpec, sweepId: string, sweepName: string): PlannedRun[] {
  const tag = (role: SweepRole, value: number | null): SweepTag => ({ sweepId, sweepName, role, value });
  const runs: PlannedRun[] = [];
  if (spec.references) {
    runs.push({ settings: applyPreset(base, 'sgd'), name: `${sweepName}: SGD`, tag: tag('sgd', null) });
    runs.push({ settings: applyPreset(base, 'sam'), name: `${sweepName}: SAM`, tag: tag('sam', null) });
    runs.push({ settings: applyPreset(base, 'esam'), name: `${sweepName}: ESAM β=${base.beta} γ=${base.gamma}`, tag: tag('esam', null) });
  }
  for (const param of spec.params) {
    for (const value of sweepValues(spec.from, spec.to, spec.step)) {
      const settings =
        param === 'beta' ? { ...applyPreset(base, 'esam-swp'), beta: value } : { ...applyPreset(base, 'esam-sds'), gamma: value };
      runs.push({ settings, name: `${sweepName}: ${SYMBOL[param]}=${value}`, tag: tag(param, value) });
    }
  }
  return runs;
}

export interface SweepGroup {
  id: string;
  name: string;
  entries: RunEntry[];
}

/** The sweeps among the runs, oldest first, each with its runs in queue order. */
export function sweepGroups(order: readonly string[], runs: Readonly<Record<string, RunEntry>>): SweepGroup[] {
  const groups = new Map<string, SweepGroup>();
  for (const id of order) {
    const entry = runs[id];
    const tag = entry?.sweep;
    if (!tag) continue;
    const group = groups.get(tag.sweepId) ?? { id: tag.sweepId, name: tag.sweepName, entries: [] };
    group.entries.push(entry);
    groups.set(tag.sweepId, group);
  }
  return [...groups.values()];
}

export interface SweepProgress {
  total: number;
  finished: number;
  live: number;
  /** Of the whole sweep, 0..1, counting the running run's share of its epochs. */
  fraction: number;
}

export function sweepProgress(group: SweepGroup, progress: Readonly<Record<string, LiveProgress>>): SweepProgress {
  let finished = 0;
  let partial = 0;
  for (const e of group.entries) {
    if (e.phase === 'finished') {
      finished++;
      continue;
    }
    const p = progress[e.record.id];
    if (p && p.steps > 0) partial += (p.epoch - 1 + p.step / p.steps) / p.epochs;
  }
  const total = group.entries.length;
  return { total, finished, live: total - finished, fraction: total ? (finished + partial) / total : 0 };
}

export interface SweepPoint {
  runId: string;
  name: string;
  color: string;
  role: SweepRole;
  value: number | null;
  /** Mean training seconds per epoch. */
  secondsPerEpoch: number;
  /** Final test accuracy, 0..1. */
  testAcc: number;
}

/** The sweep's runs that have a time per epoch and a test accuracy, as Fig. 3 plots them. */
export function sweepPoints(group: SweepGroup, secondsPerEpoch: (r: RunRecord) => number | null): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const e of group.entries) {
    const x = secondsPerEpoch(e.record);
    const y = e.record.summary.finalTestAcc;
    if (x === null || y === null || !e.sweep) continue;
    points.push({
      runId: e.record.id,
      name: e.record.name,
      color: e.color,
      role: e.sweep.role,
      value: e.sweep.value,
      secondsPerEpoch: x,
      testAcc: y,
    });
  }
  return points;
}

export interface SweepExport {
  format: typeof SWEEP_FORMAT;
  id: string;
  name: string;
  /** Which run is which point of the figure. */
  points: { runId: string; role: SweepRole; value: number | null }[];
  runs: RunRecord[];
}

export function sweepExport(group: SweepGroup): SweepExport {
  return {
    format: SWEEP_FORMAT,
    id: group.id,
    name: group.name,
    points: group.entries.map((e) => ({ runId: e.record.id, role: e.sweep!.role, value: e.sweep!.value })),
    runs: group.entries.map((e) => e.record),
  };
}
