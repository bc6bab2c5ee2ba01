/**
 * Loss landscapes as the page keeps them: the ones computed (persisted), the ones the worker is
 * computing or has queued, and which runs have weights to compute one from. Pure reducers.
 */
import { DEFAULT_LANDSCAPE_OPTIONS, type LandscapeOptions, type LandscapeRecord } from '../engine/landscape/record';
import type { FromWorker } from '../worker/protocol';

export const LANDSCAPES_FORMAT = 'esam-playground/landscapes@1';

export interface LandscapeJob {
  id: string;
  runId: string;
  runName: string;
  options: LandscapeOptions;
  /** Grid points evaluated so far, of `total` (0 of 0 while queued). */
  done: number;
  total: number;
}

export interface LandscapesState {
  /** Runs whose final weights are stored. */
  weights: string[];
  /** Computed landscapes, oldest first. */
  records: LandscapeRecord[];
  jobs: LandscapeJob[];
  /** The options the next landscape is computed with. */
  options: LandscapeOptions;
  /** Landscapes shown side by side (at most three). */
  shown: string[];
}

export const MAX_SHOWN_LANDSCAPES = 3;

export function emptyLandscapes(): LandscapesState {
  return { weights: [], records: [], jobs: [], options: DEFAULT_LANDSCAPE_OPTIONS, shown: [] };
}

/** Shows a landscape beside the others, dropping the oldest shown when three are up. */
export function showLandscape(state: LandscapesState, id: string, on: boolean): LandscapesState {
  const rest = state.shown.filter((x) => x !== id);
  const shown = on ? [...rest, id].slice(-MAX_SHOWN_LANDSCAPES) : rest;
  return { ...state, shown };
}

export type LandscapeMessage = Extract<FromWorker, { type: 'landscape-progress' | 'landscape-done' | 'landscape-error' }>;

/** Applies a worker message; `finished` is the new record to persist, `error` a failure to report. */
export function applyLandscapeMessage(
  state: LandscapesState,
  m: LandscapeMessage,
): { state: LandscapesState; finished: LandscapeRecord | null; error: { job: LandscapeJob; message: string } | null } {
  const job = state.jobs.find((j) => j.id === m.requestId);
  if (!job) return { state, finished: null, error: null };
  const jobs = state.jobs.filter((j) => j.id !== m.requestId);
  switch (m.type) {
    case 'landscape-progress':
      return {
        state: { ...state, jobs: state.jobs.map((j) => (j === job ? { ...j, done: m.done, total: m.total } : j)) },
        finished: null,
        error: null,
      };
    case 'landscape-done': {
      const next = showLandscape({ ...state, jobs, records: [...state.records, m.record] }, m.record.id, true);
      return { state: next, finished: m.record, error: null };
    }
    case 'landscape-error':
      return { state: { ...state, jobs }, finished: null, error: m.cancelled ? null : { job, message: m.message } };
  }
}

export function removeLandscape(state: LandscapesState, id: string): LandscapesState {
  return { ...state, records: state.records.filter((r) => r.id !== id), shown: state.shown.filter((x) => x !== id) };
}

export function landscapesJson(records: readonly LandscapeRecord[]): string {
  return JSON.stringify({ format: LANDSCAPES_FORMAT, landscapes: records }, null, 1);
}
