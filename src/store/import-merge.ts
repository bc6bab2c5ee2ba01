/**
 * How imported runs join the page's runs. An imported run never takes over a run already
 * here: one with the same id and the same contents is skipped, one with the same id and other
 * contents comes in under a new id, so no stored step losses, weights or landscapes of one run
 * are ever shown as another's.
 */
import type { RunRecord } from '../engine/run-record';
import { toContractRecord } from './import-export';
import { nextColor, type RunsState } from './runs';

/** Imports of more runs than this are not selected (charted) automatically. */
export const MAX_AUTO_SELECT = 10;

export interface ImportMerge {
  state: RunsState;
  /** Ids of the runs added, in file order. */
  ids: string[];
  /** Runs that came in under a new id because their id was taken. */
  renamed: number;
  /** Runs identical to one already here, left out. */
  skipped: number;
}

function sameRun(a: RunRecord, b: RunRecord): boolean {
  return JSON.stringify(toContractRecord(a)) === JSON.stringify(toContractRecord(b));
}

export function mergeImported(state: RunsState, records: readonly RunRecord[], newId: () => string): ImportMerge {
  // One copy of the maps for the whole file (adding runs one by one would copy them per run).
  const runs = { ...state.runs };
  const stepLosses = { ...state.stepLosses };
  const order = [...state.order];
  const ids: string[] = [];
  let renamed = 0;
  let skipped = 0;
  const used = state.order.map((x) => state.runs[x].color);
  for (const original of records) {
    // A run exported while training cannot go on here.
    let record = original.status === 'running' ? { ...original, status: 'interrupted' as const } : original;
    const existing = runs[record.id];
    if (existing) {
      if (existing.phase === 'finished' && sameRun(existing.record, record)) {
        skipped++;
        continue;
      }
      let id: string;
      do id = `${record.id}-imported-${newId().slice(0, 8)}`;
      while (runs[id]);
      record = { ...record, id };
      renamed++;
    }
    const color = nextColor(used);
    used.push(color);
    runs[record.id] = { record, color, phase: 'finished', imported: true };
    stepLosses[record.id] = [];
    order.push(record.id);
    ids.push(record.id);
  }
  return { state: { ...state, runs, order, stepLosses }, ids, renamed, skipped };
}
