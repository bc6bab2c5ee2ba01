/**
 * Runs as the page keeps them, and pure reducers that apply the worker's messages to them.
 * Messages carry deltas (one epoch, a few step losses); the reducers append.
 */
import { RUN_FORMAT, summarize, type RunConfig, type RunEnvironment, type RunRecord, type RunStatus } from '../engine/run-record';
import type { FromWorker, TensorMemory } from '../worker/protocol';
import type { SweepTag } from './sweep';

/** Where a run is in this page's life: waiting in the worker's queue, training, paused, or over. */
export type RunPhase = 'queued' | 'running' | 'paused' | 'finished';

export interface RunEntry {
  /** Exactly the contract's run object (see docs/run-json.md). */
  record: RunRecord;
  /** UI only: the run's colour in charts and lists (never exported). */
  color: string;
  phase: RunPhase;
  /** UI only: the run came from an imported file. */
  imported: boolean;
  /** The sweep (Fig. 3) the run was queued for, if any. */
  sweep?: SweepTag;
}

export interface LiveProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  etaSeconds: number | null;
}

export interface RunsState {
  runs: Record<string, RunEntry>;
  /** Run ids, oldest first. */
  order: string[];
  /** The live progress of runs that are training. */
  progress: Record<string, LiveProgress>;
  /** Every training step's mean loss, per run (UI only; persisted, never exported). */
  stepLosses: Record<string, number[]>;
  /** The latest tf.memory() numbers the worker reported. */
  memory: TensorMemory | null;
}

/** What IndexedDB keeps per run. */
export interface StoredRun {
  record: RunRecord;
  color: string;
  imported: boolean;
  stepLosses: number[];
  sweep?: SweepTag;
}

export const RUN_COLORS = [
  '#1f5fae',
  '#d1495b',
  '#2a8a57',
  '#8e5cc4',
  '#c77700',
  '#1b8a9a',
  '#7a5a2f',
  '#c2459c',
  '#5a6b12',
  '#4a5260',
] as const;

export function emptyRuns(): RunsState {
  return { runs: {}, order: [], progress: {}, stepLosses: {}, memory: null };
}

/** The first palette colour no run uses yet (cycling when all are taken). */
export function nextColor(used: readonly string[]): string {
  const free = RUN_COLORS.find((c) => !used.includes(c));
  return free ?? RUN_COLORS[used.length % RUN_COLORS.length];
}

export function isLive(entry: RunEntry): boolean {
  return entry.phase !== 'finished';
}

/** The status in words, as the run list shows it. */
export function statusWords(entry: RunEntry): RunStatus | 'queued' | 'paused' {
  if (entry.phase === 'queued') return 'queued';
  if (entry.phase === 'paused') return 'paused';
  return entry.record.status;
}

/** A run as it is queued, before the worker has resolved its sizes and environment. */
export function queuedRecord(id: string, name: string, createdAt: string, config: RunConfig, environment: RunEnvironment): RunRecord {
  return {
    format: RUN_FORMAT,
    id,
    name,
    createdAt,
    status: 'running',
    error: null,
    config,
    environment,
    epochs: [],
    summary: summarize([], 0),
  };
}

export function addRun(state: RunsState, entry: RunEntry, stepLosses: number[] = []): RunsState {
  const id = entry.record.id;
  const order = state.runs[id] ? state.order : [...state.order, id];
  return { ...state, runs: { ...state.runs, [id]: entry }, order, stepLosses: { ...state.stepLosses, [id]: stepLosses } };
}

export function removeRun(state: RunsState, id: string): RunsState {
  if (!state.runs[id]) return state;
  const runs = { ...state.runs };
  const progress = { ...state.progress };
  const stepLosses = { ...state.stepLosses };
  delete runs[id];
  delete progress[id];
  delete stepLosses[id];
  return { ...state, runs, progress, stepLosses, order: state.order.filter((x) => x !== id) };
}

export function updateEntry(state: RunsState, id: string, change: (entry: RunEntry) => RunEntry): RunsState {
  const entry = state.runs[id];
  if (!entry) return state;
  return { ...state, runs: { ...state.runs, [id]: change(entry) } };
}

function withoutProgress(state: RunsState, id: string): Record<string, LiveProgress> {
  if (!(id in state.progress)) return state.progress;
  const progress = { ...state.progress };
  delete progress[id];
  return progress;
}

/**
 * Applies one worker message about a run. Returns the new state and the id of the run whose
 * stored copy should be rewritten (null for messages that need no write, such as progress).
 * Messages about runs the page does not know (deleted meanwhile) are dropped.
 */
export function applyRunMessage(state: RunsState, message: FromWorker): { state: RunsState; persist: string | null } {
  switch (message.type) {
    case 'run-started': {
      const entry = state.runs[message.runId];
      if (!entry) return { state, persist: null };
      // The worker's record has the resolved subset sizes and the environment; the name is
      // the page's (it may have been renamed while queued).
      const record: RunRecord = {
        ...message.record,
        name: entry.record.name,
        epochs: [],
        status: 'running',
        error: null,
        ...(entry.record.group ? { group: entry.record.group } : {}),
      };
      const progress: LiveProgress = { epoch: 1, epochs: record.config.epochs, step: 0, steps: 0, etaSeconds: null };
      return {
        state: {
          ...state,
          runs: { ...state.runs, [message.runId]: { ...entry, record, phase: 'running' } },
          progress: { ...state.progress, [message.runId]: progress },
          stepLosses: { ...state.stepLosses, [message.runId]: [] },
        },
        persist: message.runId,
      };
    }
    case 'progress': {
      const entry = state.runs[message.runId];
      if (!entry || entry.phase === 'finished') return { state, persist: null };
      const progress: LiveProgress = {
        epoch: message.epoch,
        epochs: entry.record.config.epochs,
        step: message.step,
        steps: message.steps,
        etaSeconds: message.etaSeconds,
      };
      const losses = state.stepLosses[message.runId] ?? [];
      return {
        state: {
          ...state,
          runs: entry.phase === 'queued' ? { ...state.runs, [message.runId]: { ...entry, phase: 'running' } } : state.runs,
          progress: { ...state.progress, [message.runId]: progress },
          stepLosses: { ...state.stepLosses, [message.runId]: losses.concat(message.recentLosses) },
        },
        persist: null,
      };
    }
    case 'epoch': {
      const entry = state.runs[message.runId];
      if (!entry) return { state, persist: null };
      const epochs = entry.record.epochs.filter((e) => e.epoch !== message.epoch.epoch);
      epochs.push(message.epoch);
      epochs.sort((a, b) => a.epoch - b.epoch);
      const warnings = [...(entry.record.warnings ?? []), ...message.warnings];
      const record: RunRecord = { ...entry.record, epochs, summary: message.summary, warnings };
      return {
        state: { ...state, runs: { ...state.runs, [message.runId]: { ...entry, record } }, memory: message.memory },
        persist: message.runId,
      };
    }
    case 'paused': {
      const entry = state.runs[message.runId];
      if (!entry || entry.phase === 'finished' || entry.phase === 'queued') return { state, persist: null };
      const phase: RunPhase = message.paused ? 'paused' : 'running';
      return { state: { ...state, runs: { ...state.runs, [message.runId]: { ...entry, phase } } }, persist: null };
    }
    case 'done': {
      const entry = state.runs[message.runId];
      if (!entry) return { state, persist: null };
      const record: RunRecord = { ...entry.record, status: message.status, error: message.error, summary: message.summary };
      // A run refused before its first epoch keeps the summary of its (empty) epoch list.
      if (record.epochs.length > 0 && message.summary.totalSeconds === 0 && message.summary.finalTestAcc === null) {
        record.summary = entry.record.summary;
      }
      return {
        state: {
          ...state,
          runs: { ...state.runs, [message.runId]: { ...entry, record, phase: 'finished' } },
          progress: withoutProgress(state, message.runId),
        },
        persist: message.runId,
      };
    }
    case 'memory':
      return { state: { ...state, memory: message.memory }, persist: null };
    default:
      return { state, persist: null };
  }
}

/**
 * Runs read back from storage after a reload. A run that was queued or training when the
 * page went away cannot go on (its worker is gone): it becomes "interrupted" with the epochs
 * it completed. Returns the state and the ids whose stored copy changed.
 */
export function restoreRuns(stored: readonly StoredRun[]): { state: RunsState; changed: string[] } {
  let state = emptyRuns();
  const changed: string[] = [];
  const sorted = [...stored].sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
  for (const s of sorted) {
    let record = s.record;
    if (record.status === 'running') {
      record = { ...record, status: 'interrupted' };
      changed.push(record.id);
    }
    const entry: RunEntry = { record, color: s.color, imported: s.imported, phase: 'finished', ...(s.sweep ? { sweep: s.sweep } : {}) };
    state = addRun(state, entry, s.stepLosses ?? []);
  }
  return { state, changed };
}

export function toStored(state: RunsState, id: string): StoredRun | null {
  const entry = state.runs[id];
  if (!entry) return null;
  const stored: StoredRun = { record: entry.record, color: entry.color, imported: entry.imported, stepLosses: state.stepLosses[id] ?? [] };
  return entry.sweep ? { ...stored, sweep: entry.sweep } : stored;
}
