/** The cost meter's numbers for the page: each run's ms per step by phase, and its cost relative to SGD. */
import { phaseCostKey, STEP_PHASES, type PhaseCostKey, type StepPhase } from '../engine/optimizer/phases';
import type { EpochRecord, RunRecord } from '../engine/run-record';

export interface CostRow {
  id: string;
  name: string;
  /** Milliseconds per step of each phase the run's method has, at its last metered epoch. */
  phases: Partial<Record<StepPhase, number>>;
  /** The same by epoch key (as the chart's series name them). */
  byKey: Partial<Record<PhaseCostKey, number>>;
  totalMs: number;
  /** totalMs over that of the SGD run it is compared with; null when there is none. */
  relativeToSgd: number | null;
  /** The SGD run compared with, or null. */
  sgdName: string | null;
}

/** The last epoch of a run that carries the cost meter's keys, or null (not metered, or written before the meter). */
export function lastMeteredEpoch(record: RunRecord): EpochRecord | null {
  for (let i = record.epochs.length - 1; i >= 0; i--) {
    const e = record.epochs[i];
    if (STEP_PHASES.some((p) => e[phaseCostKey(p)] !== undefined)) return e;
  }
  return null;
}

/**
 * One row per metered run. A run's cost is compared with the first metered SGD run among
 * `records` with the same model, batch size and backend (times on different devices or
 * shapes say nothing about the method).
 */
export function costRows(records: readonly RunRecord[]): CostRow[] {
  const metered = records.flatMap((record) => {
    const epoch = lastMeteredEpoch(record);
    if (!epoch) return [];
    const phases: Partial<Record<StepPhase, number>> = {};
    const byKey: Partial<Record<PhaseCostKey, number>> = {};
    for (const p of STEP_PHASES) {
      const ms = epoch[phaseCostKey(p)];
      if (ms !== undefined) phases[p] = byKey[phaseCostKey(p)] = ms;
    }
    const totalMs = Object.values(phases).reduce((a, b) => a + b, 0);
    return [{ record, phases, byKey, totalMs }];
  });
  return metered.map(({ record, phases, byKey, totalMs }) => {
    const c = record.config;
    const sgd = metered.find(
      (m) =>
        m.record.config.optimizer.name === 'sgd' &&
        m.record.config.model === c.model &&
        m.record.config.batchSize === c.batchSize &&
        m.record.environment.backend === record.environment.backend,
    );
    return {
      id: record.id,
      name: record.name,
      phases,
      byKey,
      totalMs,
      relativeToSgd: sgd && sgd.totalMs > 0 ? totalMs / sgd.totalMs : null,
      sgdName: sgd ? sgd.record.name : null,
    };
  });
}
