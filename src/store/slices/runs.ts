/**
 * Runs: the queue and its control (start, ablation, pause, stop), the list's edits and
 * selection, the comparison's choices, and SDS's picks of runs trained here.
 */
import type { RunGroup, RunRecord } from '../../engine/run-record';
import type { FromWorker } from '../../worker/protocol';
import type { MetricKey, XAxisKind } from '../compare';
import { applyPickMessage, emptyPicks, withoutPicks, type PicksState } from '../picks';
import {
  addRun,
  applyRunMessage,
  emptyRuns,
  isLive,
  nextColor,
  queuedRecord,
  removeRun,
  updateEntry,
  type RunEntry,
  type RunsState,
} from '../runs';
import { activeRun, baselineAmong, datasetSourceFor, liveRuns, startBlockers } from '../selectors';
import { applyPreset as withPreset, describeConfig, PRESETS, toRunConfig, type Settings } from '../settings';
import type { SweepTag } from '../sweep';
import { runEnvironment } from './backend';
import { alertEffect, type Effect, type Outcome, type Route, type SliceContext } from './context';
import type { AppState } from './state';

export interface RunsSliceState extends RunsState {
  /** Runs ticked for charts, comparison and export. */
  selected: string[];
  /** The run whose images/s is 1× in the comparison. */
  baselineId: string | null;
  /** The run the diagnostics charts (Fig. 5 and 6) show. */
  focusId: string | null;
  /** Ids of the last ablation's runs, in Table 3's order. */
  ablation: string[] | null;
  compare: { metric: MetricKey; xAxis: XAxisKind };
  /** The probe batches and SDS's picks of runs trained in this page. */
  picks: PicksState;
  /** Stored runs have been read back. */
  hydrated: boolean;
}

export function initialRuns(): RunsSliceState {
  return {
    ...emptyRuns(),
    selected: [],
    baselineId: null,
    focusId: null,
    ablation: null,
    compare: { metric: 'testAcc', xAxis: 'epoch' },
    picks: emptyPicks(),
    hydrated: false,
  };
}

/** `base`, or `base (2)`, `base (3)`, … : the first not taken. */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) {
    const name = `${base} (${i})`;
    if (!taken.includes(name)) return name;
  }
}

export function takenNames(s: Pick<AppState, 'order' | 'runs'>): string[] {
  return s.order.map((id) => s.runs[id].record.name);
}

function groupNames(s: Pick<AppState, 'order' | 'runs'>): string[] {
  return [...new Set(s.order.map((id) => s.runs[id].record.group?.name).filter((n): n is string => n !== undefined))];
}

/** Selection, baseline, focus and ablation without a deleted run. */
export function withoutRun(s: AppState, id: string): Partial<AppState> {
  return {
    ...removeRun(s, id),
    selected: s.selected.filter((x) => x !== id),
    baselineId: s.baselineId === id ? null : s.baselineId,
    focusId: s.focusId === id ? null : s.focusId,
    ablation: s.ablation?.includes(id) ? s.ablation.filter((x) => x !== id) : s.ablation,
    landscapes: { ...s.landscapes, weights: s.landscapes.weights.filter((x) => x !== id) },
    picks: withoutPicks(s.picks, id),
  };
}

/** Puts runs on the worker's queue (sweeps queue theirs through it too). */
export interface RunQueue {
  /** Queues one run; null when its dataset is not loaded. */
  queueRun(settings: Settings, name: string, sweep?: SweepTag, group?: RunGroup): string | null;
  /** The settings' run, or with seeds > 1 a seed group (seed, seed + 1, …, each named with its seed); ids in queue order. */
  queueRuns(settings: Settings, name: string, sweep?: SweepTag): string[];
}

export function runQueue(ctx: SliceContext): RunQueue {
  const queue: RunQueue = {
    queueRun(settings, name, sweep, group) {
      const state = ctx.get();
      const source = datasetSourceFor(state, settings.dataset);
      if (!source) return null;
      const config = toRunConfig(settings);
      const id = ctx.deps.newId();
      const createdAt = ctx.deps.now().toISOString();
      const entry: RunEntry = {
        record: {
          ...queuedRecord(id, name, createdAt, config, runEnvironment(state.backend, ctx.deps.agent)),
          ...(group ? { group } : {}),
        },
        color: nextColor(state.order.map((x) => state.runs[x].color)),
        phase: 'queued',
        imported: false,
        ...(sweep ? { sweep } : {}),
      };
      ctx.set({ ...addRun(state, entry), selected: [...state.selected, id], focusId: id });
      ctx.persist([id]);
      ctx.link.sendWhenReady({ type: 'start', runId: id, name, createdAt, config, dataset: source });
      return id;
    },
    queueRuns(settings, name, sweep) {
      if (settings.seeds <= 1) {
        const id = queue.queueRun(settings, uniqueName(name, takenNames(ctx.get())), sweep);
        return id ? [id] : [];
      }
      const group: RunGroup = {
        id: `group-${ctx.deps.newId()}`,
        name: uniqueName(`${name} · ${settings.seeds} seeds`, groupNames(ctx.get())),
      };
      const ids: string[] = [];
      for (let k = 0; k < settings.seeds; k++) {
        const seed = settings.seed + k;
        const id = queue.queueRun({ ...settings, seed }, uniqueName(`${name} · seed ${seed}`, takenNames(ctx.get())), sweep, group);
        if (id) ids.push(id);
      }
      return ids;
    },
  };
  return queue;
}

export interface RunActions {
  /** Queues a run of the panel's settings; returns its id, or null (with the reasons in startBlockers). */
  start(): string | null;
  /** Table 3 for the panel's setup: SGD, SAM, ESAM-SWP, ESAM-SDS and ESAM on the same data, model and seed. */
  runAblation(): string[];
  pause(): void;
  resume(): void;
  /** Stops a run (the active one by default); a queued run ends as stopped without epochs. */
  stop(id?: string): void;
  deleteRun(id: string): void;
  renameRun(id: string, name: string): void;
  setColor(id: string, color: string): void;
  toggleSelected(id: string, on?: boolean): void;
  selectAll(on: boolean): void;
  setBaseline(id: string | null): void;
  setFocus(id: string | null): void;
  setCompare(change: Partial<AppState['compare']>): void;
  /** The baseline in effect: the chosen one if it is among `records`, else the default. */
  baselineAmong(records: readonly RunRecord[]): string | null;
}

export function runActions(ctx: SliceContext, queue: RunQueue): RunActions {
  const actions: RunActions = {
    start() {
      if (startBlockers(ctx.get()).length > 0) return null;
      const settings = ctx.get().settings;
      return queue.queueRuns(settings, describeConfig(toRunConfig(settings)))[0] ?? null;
    },
    runAblation() {
      if (startBlockers(ctx.get()).length > 0) return [];
      const ids: string[] = [];
      for (const preset of PRESETS) ids.push(...queue.queueRuns(withPreset(ctx.get().settings, preset.id), preset.label));
      const sam = ids.find((id) => ctx.get().runs[id].record.config.optimizer.name === 'sam') ?? null;
      ctx.set({ ablation: ids, selected: ids, baselineId: sam, focusId: ids[ids.length - 1] ?? null });
      return ids;
    },
    pause() {
      const run = activeRun(ctx.get());
      if (run?.phase === 'running') ctx.link.send({ type: 'pause', runId: run.record.id });
    },
    resume() {
      const run = activeRun(ctx.get());
      if (run?.phase === 'paused') ctx.link.send({ type: 'resume', runId: run.record.id });
    },
    stop(id) {
      const target = id ? ctx.get().runs[id] : activeRun(ctx.get());
      if (!target || !isLive(target)) return;
      ctx.link.sendWhenReady({ type: 'stop', runId: target.record.id });
    },
    deleteRun(id) {
      const entry = ctx.get().runs[id];
      if (!entry) return;
      if (isLive(entry)) ctx.link.sendWhenReady({ type: 'stop', runId: id });
      ctx.set(withoutRun(ctx.get(), id));
      void ctx.storage.use((p) => p.delete(id));
    },
    renameRun(id, name) {
      ctx.set(updateEntry(ctx.get(), id, (e) => ({ ...e, record: { ...e.record, name } })));
      ctx.persist([id]);
    },
    setColor(id, color) {
      if (!/^#[0-9a-f]{6}$/i.test(color)) return;
      ctx.set(updateEntry(ctx.get(), id, (e) => ({ ...e, color })));
      ctx.persist([id]);
    },
    toggleSelected(id, on) {
      const s = ctx.get();
      const has = s.selected.includes(id);
      const want = on ?? !has;
      if (want === has) return;
      ctx.set({ selected: want ? s.order.filter((x) => x === id || s.selected.includes(x)) : s.selected.filter((x) => x !== id) });
    },
    selectAll(on) {
      ctx.set({ selected: on ? [...ctx.get().order] : [] });
    },
    setBaseline(id) {
      ctx.set({ baselineId: id });
    },
    setFocus(id) {
      ctx.set({ focusId: id });
    },
    setCompare(change) {
      ctx.set({ compare: { ...ctx.get().compare, ...change } });
    },
    baselineAmong: (records) => baselineAmong(ctx.get(), records),
  };
  return actions;
}

type RunMessage = Extract<FromWorker, { type: 'run-started' | 'progress' | 'probe' | 'epoch' | 'paused' | 'done' | 'memory' }>;

/** A run's message: its entry, progress and picks; warnings and failures become alerts. */
function onRunMessage(state: AppState, m: RunMessage): Outcome {
  const picks = (m.type === 'probe' || m.type === 'epoch') && state.runs[m.runId] ? applyPickMessage(state.picks, m) : state.picks;
  const applied = applyRunMessage(state, m);
  const r = applied.state;
  const next: AppState =
    r === state && picks === state.picks
      ? state
      : { ...state, runs: r.runs, order: r.order, progress: r.progress, stepLosses: r.stepLosses, memory: r.memory, picks };
  const effects: Effect[] = applied.persist ? [{ kind: 'persist', ids: [applied.persist] }] : [];
  if (m.type === 'epoch' && next.runs[m.runId]) {
    for (const w of m.warnings) effects.push(alertEffect(`Run “${next.runs[m.runId].record.name}”: ${w.message}`));
  }
  if (m.type === 'done' && next.runs[m.runId]) {
    const { status, error, name } = next.runs[m.runId].record;
    if (status === 'failed' || status === 'diverged') effects.push(alertEffect(`Run “${name}” ${status}: ${error ?? 'no reason given'}`));
    // A backend chosen while runs were live is taken up once the last one ends.
    if (liveRuns(next).length === 0 && next.settings.backend !== next.backend.choice)
      effects.push({ kind: 'init-backend', choice: next.settings.backend });
  }
  return { state: next, effects };
}

export const onRunStarted: Route<'run-started'> = onRunMessage;
export const onProgress: Route<'progress'> = onRunMessage;
export const onProbe: Route<'probe'> = onRunMessage;
export const onEpoch: Route<'epoch'> = onRunMessage;
export const onPaused: Route<'paused'> = onRunMessage;
export const onDone: Route<'done'> = onRunMessage;
export const onMemory: Route<'memory'> = onRunMessage;
