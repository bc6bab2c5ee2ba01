/**
 * Runs read back from IndexedDB are checked one by one before the page uses them: an entry
 * written by an older version, or damaged, is skipped with a notice instead of hiding every
 * other run. The record's shape is checked by the import's own reader (the contract), the
 * rest here; ranges are not (a run kept from an earlier version stays readable).
 */
import { ImportError, readRun } from './import-export';
import type { StoredRun } from './runs';

export type StoredCheck = { ok: true; run: StoredRun } | { ok: false; problem: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkStoredRun(value: unknown): StoredCheck {
  if (!isObject(value)) return { ok: false, problem: 'the entry is not an object' };
  const { record, color, imported, stepLosses, sweep } = value;
  let checked;
  try {
    // Through JSON as an export would write it: NaN becomes null, which the reader expects.
    checked = readRun(JSON.parse(JSON.stringify(record ?? null)), 'record', false);
  } catch (e) {
    return { ok: false, problem: e instanceof ImportError ? e.message : String(e) };
  }
  if (typeof color !== 'string') return { ok: false, problem: 'color: expected a string' };
  if (typeof imported !== 'boolean') return { ok: false, problem: 'imported: expected true or false' };
  const losses = stepLosses === undefined ? [] : stepLosses;
  if (!Array.isArray(losses) || !losses.every((x) => typeof x === 'number'))
    return { ok: false, problem: 'stepLosses: expected a list of numbers' };
  if (sweep !== undefined && !isObject(sweep)) return { ok: false, problem: 'sweep: expected an object' };
  const run: StoredRun = { record: checked, color, imported, stepLosses: losses as number[] };
  return { ok: true, run: sweep ? { ...run, sweep: sweep as unknown as StoredRun['sweep'] } : run };
}

/** The readable runs, and one sentence about those skipped (null when none was). */
export function readableRuns(entries: readonly unknown[]): { runs: StoredRun[]; notice: string | null } {
  const runs: StoredRun[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const c = checkStoredRun(entry);
    if (c.ok) runs.push(c.run);
    else problems.push(c.problem);
  }
  if (problems.length === 0) return { runs, notice: null };
  const n = problems.length;
  return {
    runs,
    notice: `${n} stored run${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'was' : 'were'} skipped (${problems[0]}${n > 1 ? '; …' : ''}).`,
  };
}
