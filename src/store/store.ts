/**
 * The page's single source of truth (one zustand store) and the controller that feeds it:
 * settings ⇄ URL, commands to the training worker, the worker's messages (batched, so a fast
 * run cannot flood React), run storage in IndexedDB, import/export and dataset loading.
 * Nothing here touches tensors or imports tfjs; the worker is reached only through its client.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { parseDatasetIndex, type DatasetIndexEntry } from '../data/catalog';
import type { DatasetName } from '../data/types';
import { defaultAugment } from '../engine/defaults';
import { validateLandscapeOptions, type LandscapeOptions } from '../engine/landscape/record';
import type { RunEnvironment, RunGroup, RunRecord } from '../engine/run-record';
import type { ModelWeights } from '../engine/weights';
import type { TrainingWorkerClient } from '../worker/client';
import type { AvailableDataset, BackendChoice, BackendReport, DatasetSource, DatasetSummary, FromWorker, ToWorker } from '../worker/protocol';
import { defaultBaseline, type MetricKey, type XAxisKind } from './compare';
import { exportFileName, exportJson, ImportError, MAX_IMPORT_BYTES, parseImport } from './import-export';
import { MAX_AUTO_SELECT, mergeImported } from './import-merge';
import { RunStorage } from './run-storage';
import { readableRuns } from './stored-runs';
import { applyLandscapeMessage, emptyLandscapes, landscapesJson, removeLandscape, showLandscape, type LandscapeMessage, type LandscapesState } from './landscapes';
import type { RunPersistence } from './persistence';
import { applyExperiment, experimentById, type ExperimentId } from './experiments';
import { applyPickMessage, emptyPicks, withoutPicks, type PicksState } from './picks';
import {
  addRun,
  applyRunMessage,
  emptyRuns,
  isLive,
  nextColor,
  queuedRecord,
  removeRun,
  restoreRuns,
  toStored,
  updateEntry,
  type RunEntry,
  type RunsState,
  type StoredRun,
} from './runs';
import {
  applyPreset as withPreset,
  DATASET_LABELS,
  describeConfig,
  parseQuery,
  parseValue,
  PRESETS,
  serializeQuery,
  settingErrors,
  SETTINGS,
  settingsFromRunConfig,
  toRunConfig,
  withModel,
  type PresetId,
  type SettingErrors,
  type SettingId,
  type Settings,
} from './settings';
import { DEFAULT_SWEEP, planSweep, sweepErrors, sweepExport, sweepGroups, type SweepSpec, type SweepTag } from './sweep';

/** A dataset the worker can train on; `stored: false` when the browser would not store it (memory only). */
export type CachedDataset = AvailableDataset;

export interface DatasetLoad {
  requestId: string;
  /** What is being loaded, in words (file names or the URL). */
  label: string;
  via: 'files' | 'url';
  stage: 'starting' | 'download' | 'parse';
  loadedBytes: number;
  totalBytes: number | null;
  error: string | null;
}

export interface SampleState {
  status: 'idle' | 'loading' | 'ready' | 'missing' | 'error';
  summary: DatasetSummary | null;
  message: string | null;
}

export interface Alert {
  id: number;
  message: string;
}

export interface BackendState {
  /** The choice the worker was last initialised with. */
  choice: BackendChoice;
  report: BackendReport | null;
  state: 'starting' | 'ready' | 'failed';
  error: string | null;
}

export interface AppState extends RunsState {
  settings: Settings;
  /** Text typed into a field that is not a value of its type (e.g. "0.," for a number). */
  drafts: Partial<Record<SettingId, string>>;
  /** Notices about the address (ignored or out-of-range keys). */
  notices: string[];
  /** Runs ticked for charts, comparison and export. */
  selected: string[];
  /** The run whose images/s is 1× in the comparison. */
  baselineId: string | null;
  /** The run the diagnostics charts (Fig. 5 and 6) show. */
  focusId: string | null;
  /** Ids of the last ablation's runs, in Table 3's order. */
  ablation: string[] | null;
  compare: { metric: MetricKey; xAxis: XAxisKind };
  backend: BackendState;
  datasets: {
    cached: CachedDataset[];
    /** Archives this app serves (public/datasets/index.json). */
    served: DatasetIndexEntry[];
    /** The cached source chosen per dataset. */
    chosen: Partial<Record<DatasetName, string>>;
    load: DatasetLoad | null;
    sample: SampleState;
  };
  /** The sweep (Fig. 3) the panel would queue. */
  sweepSpec: SweepSpec;
  landscapes: LandscapesState;
  /** The probe batches and SDS's picks of runs trained in this page. */
  picks: PicksState;
  alerts: Alert[];
  /** Stored runs have been read back. */
  hydrated: boolean;
}

export interface LocationAdapter {
  read(): string;
  /** Replaces the query string (history.replaceState), never pushes. */
  write(search: string): void;
}

export interface AppDeps {
  worker: TrainingWorkerClient;
  persistence: Promise<RunPersistence>;
  location: LocationAdapter;
  /** Reads the served-datasets index; resolves to null when there is none. */
  fetchDatasetIndex?: () => Promise<unknown>;
  now?: () => Date;
  newId?: () => string;
  agent?: string;
  /** Delay before batched worker messages are applied (ms). */
  flushDelayMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export type AppStore = StoreApi<AppState>;

// ---------------------------------------------------------------------------------------------
// Selectors

export function activeRun(state: Pick<AppState, 'order' | 'runs'>): RunEntry | null {
  for (const id of state.order) {
    const e = state.runs[id];
    if (e.phase === 'running' || e.phase === 'paused') return e;
  }
  return null;
}

export function liveRuns(state: Pick<AppState, 'order' | 'runs'>): RunEntry[] {
  return state.order.map((id) => state.runs[id]).filter(isLive);
}

/** The cached dataset a run of `name` would use, or null. */
export function datasetSourceFor(state: Pick<AppState, 'datasets'>, name: DatasetName): DatasetSource | null {
  if (name === 'synthetic') return { kind: 'synthetic' };
  const { cached, chosen } = state.datasets;
  const pick = cached.find((c) => c.name === name && c.source === chosen[name]) ?? cached.find((c) => c.name === name);
  return pick ? { kind: 'cached', name, source: pick.source } : null;
}

/** Errors per setting, including text that is not a value. */
export function fieldErrors(state: Pick<AppState, 'settings' | 'drafts'>): SettingErrors {
  const errors = settingErrors(state.settings);
  for (const [id, text] of Object.entries(state.drafts) as [SettingId, string][]) {
    const def = SETTINGS[id];
    const parsed = parseValue(def, text);
    if (!parsed.ok) errors[id] = `${def.label}: “${text}” is not ${parsed.expected}`;
  }
  return errors;
}

export interface StartBlocker {
  /** The setting to fix, when there is one. */
  setting: SettingId | null;
  message: string;
}

/** Every reason Start is disabled, with the setting to fix (empty when a run can start). */
export function startBlockerList(state: Pick<AppState, 'settings' | 'drafts' | 'datasets'>): StartBlocker[] {
  const reasons: StartBlocker[] = (Object.entries(fieldErrors(state)) as [SettingId, string][]).map(([setting, message]) => ({ setting, message }));
  const name = state.settings.dataset;
  if (!datasetSourceFor(state, name)) {
    reasons.push({
      setting: null,
      message: `${DATASET_LABELS[name]} is not loaded in this browser yet: drop its files, pick them, or load them from a URL (under Dataset).`,
    });
  }
  return reasons;
}

/** Every reason Start is disabled, in words (empty when a run can start). */
export function startBlockers(state: Pick<AppState, 'settings' | 'drafts' | 'datasets'>): string[] {
  return startBlockerList(state).map((b) => b.message);
}

// ---------------------------------------------------------------------------------------------

function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) {
    const name = `${base} (${i})`;
    if (!taken.includes(name)) return name;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const RUN_MESSAGES = new Set<FromWorker['type']>(['run-started', 'progress', 'epoch', 'paused', 'done', 'memory', 'probe']);
/** Messages that may arrive many times a second: applied in batches. */
const BATCHED = new Set<FromWorker['type']>(['progress', 'epoch', 'dataset-progress', 'landscape-progress']);
const LANDSCAPE_MESSAGES = new Set<FromWorker['type']>(['landscape-progress', 'landscape-done', 'landscape-error']);

export class AppController {
  readonly store: AppStore;
  private readonly deps: Required<Omit<AppDeps, 'fetchDatasetIndex'>> & Pick<AppDeps, 'fetchDatasetIndex'>;
  private pending: FromWorker[] = [];
  private flushHandle: unknown = null;
  /** Start messages held back until the worker answers the latest 'init'. */
  private outbox: ToWorker[] = [];
  private awaitingReady = false;
  private requestCounter = 0;
  private sampleRequest: string | null = null;
  private sampleTimer: unknown = null;
  private alertCounter = 0;
  private readonly storage: RunStorage;
  private readonly unsubscribe: () => void;

  constructor(deps: AppDeps) {
    this.deps = {
      now: () => new Date(),
      newId: () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `run-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`),
      agent: typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown',
      flushDelayMs: 150,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...deps,
    };
    this.storage = new RunStorage(this.deps.persistence, (message) => this.alert(message));
    const { settings, notices } = parseQuery(this.deps.location.read());
    this.store = createStore<AppState>(() => ({
      ...emptyRuns(),
      settings,
      drafts: {},
      notices,
      selected: [],
      baselineId: null,
      focusId: null,
      ablation: null,
      compare: { metric: 'testAcc', xAxis: 'epoch' },
      backend: { choice: settings.backend, report: null, state: 'starting', error: null },
      datasets: { cached: [], served: [], chosen: {}, load: null, sample: { status: 'idle', summary: null, message: null } },
      sweepSpec: DEFAULT_SWEEP,
      landscapes: emptyLandscapes(),
      picks: emptyPicks(),
      alerts: [],
      hydrated: false,
    }));
    this.unsubscribe = this.deps.worker.subscribe((m) => this.receive(m));
    this.writeUrl();
    this.initBackend(settings.backend);
    this.deps.worker.send({ type: 'list-datasets' });
    void this.hydrate();
    void this.readServedIndex();
    this.requestSample();
  }

  dispose(): void {
    this.unsubscribe();
    if (this.flushHandle !== null) this.deps.clearTimer(this.flushHandle);
    if (this.sampleTimer !== null) this.deps.clearTimer(this.sampleTimer);
  }

  private get state(): AppState {
    return this.store.getState();
  }

  private set(partial: Partial<AppState>): void {
    this.store.setState(partial);
  }

  // -------------------------------------------------------------------------------------------
  // Alerts

  alert(message: string): void {
    const id = ++this.alertCounter;
    this.set({ alerts: [...this.state.alerts, { id, message }].slice(-6) });
  }

  dismissAlert(id: number): void {
    this.set({ alerts: this.state.alerts.filter((a) => a.id !== id) });
  }

  dismissNotices(): void {
    this.set({ notices: [] });
  }

  // -------------------------------------------------------------------------------------------
  // Settings

  private writeUrl(): void {
    this.deps.location.write(serializeQuery(this.state.settings));
  }

  private changeSettings(next: Settings, clearDrafts: SettingId[] = []): void {
    const prev = this.state.settings;
    const drafts = { ...this.state.drafts };
    for (const id of clearDrafts) delete drafts[id];
    this.set({ settings: next, drafts });
    this.writeUrl();
    if (next.backend !== prev.backend && liveRuns(this.state).length === 0) this.initBackend(next.backend);
    if (next.dataset !== prev.dataset || (next.dataset === 'synthetic' && next.seed !== prev.seed)) this.requestSample();
  }

  setSetting<K extends SettingId>(id: K, value: Settings[K]): void {
    const prev = this.state.settings;
    const next: Settings = id === 'model' && value !== prev.model ? withModel(prev, value as string) : { ...prev, [id]: value };
    if (id === 'dataset' && value !== prev.dataset) next.augment = defaultAugment(value as DatasetName);
    // Switching a half of ESAM on makes the optimizer ESAM.
    if ((id === 'swp' || id === 'sds') && value === true) next.optimizer = 'esam';
    this.changeSettings(next, [id]);
  }

  /** Text typed into a field: a value of the field's type is applied, anything else is kept as a draft and blocks Start. */
  setText(id: SettingId, text: string): void {
    const parsed = parseValue(SETTINGS[id], text);
    if (parsed.ok) {
      this.setSetting(id, parsed.value as Settings[typeof id]);
    } else {
      this.set({ drafts: { ...this.state.drafts, [id]: text } });
    }
  }

  /** Sets the data and training settings of an experiment preset; the method stays. */
  applyExperiment(id: ExperimentId): void {
    const next = applyExperiment(this.state.settings, id);
    this.changeSettings(next, Object.keys(experimentById(id).settings) as SettingId[]);
  }

  applyPreset(id: PresetId): void {
    this.changeSettings(withPreset(this.state.settings, id), ['optimizer', 'swp', 'sds', 'beta', 'gamma']);
  }

  /** Loads a run's setup back into the panel. */
  useRunConfig(id: string): void {
    const entry = this.state.runs[id];
    if (!entry) return;
    const s = this.state.settings;
    this.changeSettings(settingsFromRunConfig(entry.record.config, s.backend, s), Object.keys(this.state.drafts) as SettingId[]);
  }

  // -------------------------------------------------------------------------------------------
  // Backend

  private initBackend(choice: BackendChoice): void {
    this.awaitingReady = true;
    this.set({ backend: { ...this.state.backend, choice, state: 'starting', error: null } });
    this.deps.worker.send({ type: 'init', backend: choice });
  }

  private sendRunMessage(message: ToWorker): void {
    if (this.awaitingReady) this.outbox.push(message);
    else this.deps.worker.send(message);
  }

  private releaseOutbox(): void {
    this.awaitingReady = false;
    const out = this.outbox;
    this.outbox = [];
    for (const m of out) this.deps.worker.send(m);
  }

  refreshMemory(): void {
    this.deps.worker.send({ type: 'memory' });
  }

  // -------------------------------------------------------------------------------------------
  // Runs

  private environment(): RunEnvironment {
    const r = this.state.backend.report;
    if (r) return { backend: r.backend, adapter: r.adapter, tfjsVersion: r.tfjsVersion, agent: r.agent };
    const choice = this.state.backend.choice;
    return { backend: choice === 'auto' ? 'unknown' : choice, adapter: null, tfjsVersion: 'unknown', agent: this.deps.agent };
  }

  /**
   * Queues the settings' run, or with seeds > 1 a seed group: that many runs differing only in
   * the seed (seed, seed + 1, …), each named with its seed. Returns the ids in queue order.
   */
  private queueRuns(settings: Settings, name: string, sweep?: SweepTag): string[] {
    if (settings.seeds <= 1) {
      const id = this.queueRun(settings, uniqueName(name, this.takenNames()), sweep);
      return id ? [id] : [];
    }
    const group: RunGroup = { id: `group-${this.deps.newId()}`, name: uniqueName(`${name} · ${settings.seeds} seeds`, this.groupNames()) };
    const ids: string[] = [];
    for (let k = 0; k < settings.seeds; k++) {
      const seed = settings.seed + k;
      const id = this.queueRun({ ...settings, seed }, uniqueName(`${name} · seed ${seed}`, this.takenNames()), sweep, group);
      if (id) ids.push(id);
    }
    return ids;
  }

  private groupNames(): string[] {
    const s = this.state;
    return [...new Set(s.order.map((id) => s.runs[id].record.group?.name).filter((n): n is string => n !== undefined))];
  }

  private queueRun(settings: Settings, name: string, sweep?: SweepTag, group?: RunGroup): string | null {
    const source = datasetSourceFor(this.state, settings.dataset);
    if (!source) return null;
    const config = toRunConfig(settings);
    const id = this.deps.newId();
    const createdAt = this.deps.now().toISOString();
    const state = this.state;
    const color = nextColor(state.order.map((x) => state.runs[x].color));
    const entry: RunEntry = {
      record: { ...queuedRecord(id, name, createdAt, config, this.environment()), ...(group ? { group } : {}) },
      color,
      phase: 'queued',
      imported: false,
      ...(sweep ? { sweep } : {}),
    };
    this.set({ ...addRun(state, entry), selected: [...state.selected, id], focusId: id });
    this.persist([id]);
    this.sendRunMessage({ type: 'start', runId: id, name, createdAt, config, dataset: source });
    return id;
  }

  private takenNames(): string[] {
    const s = this.state;
    return s.order.map((id) => s.runs[id].record.name);
  }

  /** Queues a run of the panel's settings; returns its id, or null (with the reasons in startBlockers). */
  start(): string | null {
    if (startBlockers(this.state).length > 0) return null;
    const settings = this.state.settings;
    return this.queueRuns(settings, describeConfig(toRunConfig(settings)))[0] ?? null;
  }

  /**
   * The paper's Table 3 for the person's setup: SGD, SAM, ESAM-SWP, ESAM-SDS and ESAM on the
   * same data, model and seed (the panel's settings otherwise), compared when they finish.
   */
  runAblation(): string[] {
    if (startBlockers(this.state).length > 0) return [];
    const ids: string[] = [];
    for (const preset of PRESETS) ids.push(...this.queueRuns(withPreset(this.state.settings, preset.id), preset.label));
    const sam = ids.find((id) => this.state.runs[id].record.config.optimizer.name === 'sam') ?? null;
    this.set({ ablation: ids, selected: ids, baselineId: sam, focusId: ids[ids.length - 1] ?? null });
    return ids;
  }

  setSweepSpec(change: Partial<SweepSpec>): void {
    this.set({ sweepSpec: { ...this.state.sweepSpec, ...change } });
  }

  /** Why the sweep cannot be queued (empty when it can). */
  sweepBlockers(): string[] {
    return [...startBlockers(this.state), ...sweepErrors(this.state.sweepSpec, this.state.settings.batchSize)];
  }

  /**
   * Queues the paper's Fig. 3 for the panel's setup: one run per grid value (each an ordinary
   * run, tagged with its sweep), plus SGD, SAM and ESAM when asked. Returns the run ids.
   */
  startSweep(): string[] {
    if (this.sweepBlockers().length > 0) return [];
    const s = this.state;
    const sweepId = `sweep-${this.deps.newId()}`;
    const groups = sweepGroups(s.order, s.runs);
    const sweepName = uniqueName(`Sweep ${groups.length + 1}`, groups.map((g) => g.name));
    const ids: string[] = [];
    for (const planned of planSweep(s.settings, s.sweepSpec, sweepId, sweepName)) {
      const id = this.queueRun(planned.settings, uniqueName(planned.name, this.takenNames()), planned.tag);
      if (id) ids.push(id);
    }
    this.set({ selected: [...new Set([...this.state.selected, ...ids])] });
    return ids;
  }

  /** Stops the sweep's running run and takes its queued ones off the queue. */
  stopSweep(sweepId: string): void {
    const s = this.state;
    for (const id of s.order) if (s.runs[id].sweep?.sweepId === sweepId && isLive(s.runs[id])) this.stop(id);
  }

  exportSweep(sweepId: string): { fileName: string; json: string } | null {
    const group = sweepGroups(this.state.order, this.state.runs).find((g) => g.id === sweepId);
    if (!group) return null;
    const slug = group.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    return { fileName: `esam-playground-${slug}.json`, json: JSON.stringify(sweepExport(group), null, 1) };
  }

  pause(): void {
    const run = activeRun(this.state);
    if (run?.phase === 'running') this.deps.worker.send({ type: 'pause', runId: run.record.id });
  }

  resume(): void {
    const run = activeRun(this.state);
    if (run?.phase === 'paused') this.deps.worker.send({ type: 'resume', runId: run.record.id });
  }

  /** Stops a run (the active one by default); a queued run ends as stopped without epochs. */
  stop(id?: string): void {
    const target = id ? this.state.runs[id] : activeRun(this.state);
    if (!target || !isLive(target)) return;
    this.sendRunMessage({ type: 'stop', runId: target.record.id });
  }

  deleteRun(id: string): void {
    const entry = this.state.runs[id];
    if (!entry) return;
    if (isLive(entry)) this.sendRunMessage({ type: 'stop', runId: id });
    const s = this.state;
    this.set({
      ...removeRun(s, id),
      selected: s.selected.filter((x) => x !== id),
      baselineId: s.baselineId === id ? null : s.baselineId,
      focusId: s.focusId === id ? null : s.focusId,
      ablation: s.ablation?.includes(id) ? s.ablation.filter((x) => x !== id) : s.ablation,
      landscapes: { ...s.landscapes, weights: s.landscapes.weights.filter((x) => x !== id) },
      picks: withoutPicks(s.picks, id),
    });
    void this.storage.use((p) => p.delete(id));
  }

  renameRun(id: string, name: string): void {
    this.set(updateEntry(this.state, id, (e) => ({ ...e, record: { ...e.record, name } })));
    this.persist([id]);
  }

  setColor(id: string, color: string): void {
    if (!/^#[0-9a-f]{6}$/i.test(color)) return;
    this.set(updateEntry(this.state, id, (e) => ({ ...e, color })));
    this.persist([id]);
  }

  toggleSelected(id: string, on?: boolean): void {
    const s = this.state;
    const has = s.selected.includes(id);
    const want = on ?? !has;
    if (want === has) return;
    this.set({ selected: want ? s.order.filter((x) => x === id || s.selected.includes(x)) : s.selected.filter((x) => x !== id) });
  }

  selectAll(on: boolean): void {
    this.set({ selected: on ? [...this.state.order] : [] });
  }

  setBaseline(id: string | null): void {
    this.set({ baselineId: id });
  }

  setFocus(id: string | null): void {
    this.set({ focusId: id });
  }

  setCompare(change: Partial<AppState['compare']>): void {
    this.set({ compare: { ...this.state.compare, ...change } });
  }

  /** The baseline in effect: the chosen one if it is among `ids`, else the default. */
  baselineAmong(records: readonly RunRecord[]): string | null {
    const chosen = this.state.baselineId;
    return chosen && records.some((r) => r.id === chosen) ? chosen : defaultBaseline(records);
  }

  // -------------------------------------------------------------------------------------------
  // Loss landscapes

  setLandscapeOptions(change: Partial<LandscapeOptions>): void {
    const l = this.state.landscapes;
    this.set({ landscapes: { ...l, options: { ...l.options, ...change } } });
  }

  /** Why a landscape of this run cannot be computed (null when it can). */
  landscapeBlocker(runId: string): string | null {
    const s = this.state;
    const entry = s.runs[runId];
    if (!entry) return 'No such run.';
    if (!s.landscapes.weights.includes(runId)) return 'Only runs trained in this browser that completed or were stopped after an epoch keep their weights.';
    if (!datasetSourceFor(s, entry.record.config.dataset.name)) return `${DATASET_LABELS[entry.record.config.dataset.name]} is not loaded in this browser any more.`;
    const errors = validateLandscapeOptions(s.landscapes.options);
    return errors.length ? errors.join(' ') : null;
  }

  /** Queues the loss landscape of each run (in the worker, after any queued runs); returns the job ids. */
  async computeLandscapes(runIds: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const runId of runIds) {
      const blocker = this.landscapeBlocker(runId);
      const entry = this.state.runs[runId];
      if (blocker) {
        this.alert(`No landscape for “${entry?.record.name ?? runId}”: ${blocker}`);
        continue;
      }
      const weights = await this.storedWeights(runId);
      if (!weights) {
        this.alert(`No landscape for “${entry.record.name}”: its weights are no longer stored in this browser.`);
        continue;
      }
      const { record } = entry;
      const options = this.state.landscapes.options;
      const id = `landscape-${this.deps.newId()}`;
      const l = this.state.landscapes;
      this.set({ landscapes: { ...l, jobs: [...l.jobs, { id, runId, runName: record.name, options, done: 0, total: 0 }] } });
      this.sendRunMessage({
        type: 'landscape',
        requestId: id,
        run: { id: runId, name: record.name, config: record.config },
        weights,
        dataset: datasetSourceFor(this.state, record.config.dataset.name)!,
        options,
      });
      ids.push(id);
    }
    return ids;
  }

  private async storedWeights(runId: string): Promise<ModelWeights | null> {
    let weights: ModelWeights | null = null;
    await this.storage.use(async (p) => {
      weights = await p.getWeights(runId);
    });
    return weights;
  }

  cancelLandscape(jobId: string): void {
    this.sendRunMessage({ type: 'cancel-landscape', requestId: jobId });
  }

  showLandscape(id: string, on: boolean): void {
    this.set({ landscapes: showLandscape(this.state.landscapes, id, on) });
  }

  deleteLandscape(id: string): void {
    this.set({ landscapes: removeLandscape(this.state.landscapes, id) });
    void this.storage.use((p) => p.deleteLandscape(id));
  }

  /** The JSON of the given landscapes (all when no ids are given). */
  exportLandscapes(ids?: readonly string[]): { fileName: string; json: string; count: number } | null {
    const records = this.state.landscapes.records.filter((r) => !ids || ids.includes(r.id));
    if (records.length === 0) return null;
    const stamp = this.deps.now().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return { fileName: `esam-playground-landscapes-${stamp}.json`, json: landscapesJson(records), count: records.length };
  }

  private keepWeights(runId: string, weights: ModelWeights): void {
    if (!this.state.runs[runId]) return;
    void this.storage.use(async (p) => {
      await p.putWeights(runId, weights);
      const l = this.state.landscapes;
      if (this.state.runs[runId] && !l.weights.includes(runId)) this.set({ landscapes: { ...l, weights: [...l.weights, runId] } });
    });
  }

  private applyLandscape(m: LandscapeMessage): void {
    const { state, finished, error } = applyLandscapeMessage(this.state.landscapes, m);
    this.set({ landscapes: state });
    if (finished) void this.storage.use((p) => p.putLandscape(finished));
    if (error) this.alert(`Landscape of “${error.job.runName}” failed: ${error.message}`);
  }

  // -------------------------------------------------------------------------------------------
  // Export and import

  /** The JSON and a file name for the selected runs, all runs, or the given ones (one run: a run object). */
  exportRuns(scope: 'selected' | 'all' | { ids: readonly string[] }): { fileName: string; json: string; count: number } | null {
    const s = this.state;
    const wanted = scope === 'all' ? s.order : scope === 'selected' ? s.selected : scope.ids;
    const ids = s.order.filter((id) => wanted.includes(id));
    if (ids.length === 0) return null;
    const records = ids.map((id) => s.runs[id].record);
    return { fileName: exportFileName(records), json: exportJson(records), count: records.length };
  }

  /** Imports a picked or dropped file, refusing one too large to be an export before reading it. */
  async importFile(file: { name: string; size: number; text(): Promise<string> }): Promise<number> {
    if (file.size > MAX_IMPORT_BYTES) {
      this.alert(`Import refused (${file.name}): the file is ${(file.size / (1024 * 1024)).toFixed(1)} MB, larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB (exported runs are far smaller). Nothing was changed.`);
      return 0;
    }
    return this.importText(await file.text(), file.name);
  }

  /**
   * Imports a file's text. A malformed file is refused with an alert naming the first bad key,
   * and nothing changes. Imported runs join the list beside live ones (selected, unless there
   * are many); a run whose id is taken comes in under a new id (see mergeImported).
   */
  importText(text: string, fileName = 'the file'): number {
    let records: RunRecord[];
    try {
      records = parseImport(text);
    } catch (e) {
      const detail = e instanceof ImportError ? e.message : errorText(e);
      this.alert(`Import refused (${fileName}): ${detail}. Nothing was changed.`);
      return 0;
    }
    if (records.length === 0) {
      this.alert(`Nothing imported from ${fileName}: it holds no runs.`);
      return 0;
    }
    const { state, ids, renamed, skipped } = mergeImported(this.state, records, this.deps.newId);
    const s = this.state;
    const select = ids.length <= MAX_AUTO_SELECT ? ids.filter((id) => !s.selected.includes(id)) : [];
    this.set({ ...state, selected: [...s.selected, ...select] });
    if (ids.length > MAX_AUTO_SELECT) this.alert(`${ids.length} runs imported from ${fileName}; none was selected for the charts: tick the ones to compare.`);
    if (renamed) this.alert(`${renamed} imported run${renamed === 1 ? '' : 's'} had the id of a run already here and came in under a new id.`);
    if (skipped) this.alert(`${skipped} run${skipped === 1 ? ' was' : 's were'} already here unchanged and ${skipped === 1 ? 'was' : 'were'} not imported again.`);
    this.persist(ids);
    return ids.length;
  }

  // -------------------------------------------------------------------------------------------
  // Datasets

  private nextRequestId(kind: string): string {
    return `${kind}-${++this.requestCounter}`;
  }

  loadFiles(files: File[]): void {
    if (files.length === 0) return;
    const requestId = this.nextRequestId('files');
    const label = files.map((f) => f.name).join(', ');
    this.setLoad({ requestId, label, via: 'files', stage: 'starting', loadedBytes: 0, totalBytes: files.reduce((s, f) => s + f.size, 0), error: null });
    this.deps.worker.send({ type: 'load-files', requestId, files });
  }

  loadUrl(url: string, name?: DatasetName): void {
    const trimmed = url.trim();
    if (!trimmed) return;
    let absolute: string;
    try {
      absolute = new URL(trimmed, typeof location !== 'undefined' ? location.href : 'http://localhost/').href;
    } catch {
      this.setLoad({ requestId: 'invalid', label: trimmed, via: 'url', stage: 'starting', loadedBytes: 0, totalBytes: null, error: `“${trimmed}” is not a URL.` });
      this.alert(`“${trimmed}” is not a URL.`);
      return;
    }
    const requestId = this.nextRequestId('url');
    this.setLoad({ requestId, label: absolute, via: 'url', stage: 'starting', loadedBytes: 0, totalBytes: null, error: null });
    this.deps.worker.send({ type: 'load-url', requestId, url: absolute, ...(name ? { name } : {}) });
  }

  /** Stops the dataset load in progress: its download or file read is cancelled. */
  cancelLoad(): void {
    const load = this.state.datasets.load;
    if (!load) return;
    if (load.error === null) this.deps.worker.send({ type: 'cancel-load', requestId: load.requestId });
    this.setLoad(null);
  }

  private setLoad(load: DatasetLoad | null): void {
    this.set({ datasets: { ...this.state.datasets, load } });
  }

  chooseSource(name: DatasetName, source: string): void {
    const d = this.state.datasets;
    this.set({ datasets: { ...d, chosen: { ...d.chosen, [name]: source } } });
    if (this.state.settings.dataset === name) this.requestSample();
  }

  clearDatasets(): void {
    this.deps.worker.send({ type: 'clear-datasets' });
  }

  /** Asks the worker for sample images of the chosen dataset (debounced). */
  requestSample(): void {
    if (this.sampleTimer !== null) this.deps.clearTimer(this.sampleTimer);
    this.sampleTimer = this.deps.setTimer(() => {
      this.sampleTimer = null;
      const { settings } = this.state;
      const source = datasetSourceFor(this.state, settings.dataset);
      const d = this.state.datasets;
      if (!source) {
        this.sampleRequest = null;
        this.set({ datasets: { ...d, sample: { status: 'missing', summary: null, message: null } } });
        return;
      }
      const current = d.sample.summary;
      if (current && current.name === settings.dataset && (source.kind === 'synthetic' ? current.source === `seed ${settings.seed}` : current.source === source.source)) {
        return;
      }
      const requestId = this.nextRequestId('describe');
      this.sampleRequest = requestId;
      this.set({ datasets: { ...d, sample: { ...d.sample, status: 'loading', message: null } } });
      this.deps.worker.send({ type: 'describe-dataset', requestId, dataset: source, seed: settings.seed });
    }, 250);
  }

  private async readServedIndex(): Promise<void> {
    if (!this.deps.fetchDatasetIndex) return;
    try {
      const json = await this.deps.fetchDatasetIndex();
      if (json === null) return;
      const served = parseDatasetIndex(json).datasets;
      this.set({ datasets: { ...this.state.datasets, served } });
    } catch {
      // A missing or malformed index only means no archive is offered.
    }
  }

  // -------------------------------------------------------------------------------------------
  // Persistence

  /** Saves these runs, and any whose earlier save failed. */
  private persist(ids: readonly string[]): void {
    this.storage.save(ids, (id) => toStored(this.state, id));
  }

  private async hydrate(): Promise<void> {
    let stored: StoredRun[] = [];
    let landscapes: LandscapesState = emptyLandscapes();
    let skipped: string | null = null;
    await this.storage.use(async (p) => {
      ({ runs: stored, notice: skipped } = readableRuns(await p.loadAll()));
      const records = (await p.loadLandscapes()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      landscapes = { ...landscapes, weights: await p.weightIds(), records, shown: records.slice(-2).map((r) => r.id) };
    });
    const { state: restored, changed } = restoreRuns(stored);
    const s = this.state;
    // Runs started before the stored ones were read keep their place after them.
    let merged: RunsState = restored;
    for (const id of s.order) merged = addRun(merged, s.runs[id], s.stepLosses[id]);
    merged = { ...merged, progress: s.progress, memory: s.memory };
    const selected = s.selected.length ? s.selected : restored.order.slice(-5);
    const l = s.landscapes;
    landscapes = {
      ...landscapes,
      weights: [...new Set([...landscapes.weights, ...l.weights])],
      records: [...landscapes.records, ...l.records],
      jobs: l.jobs,
      options: l.options,
    };
    this.set({ ...merged, selected, landscapes, hydrated: true, focusId: s.focusId ?? restored.order[restored.order.length - 1] ?? null });
    if (skipped) this.alert(skipped);
    if (changed.length) this.persist(changed);
  }

  // -------------------------------------------------------------------------------------------
  // Worker messages

  /** Receives a worker message; frequent ones are applied in batches. */
  receive(message: FromWorker): void {
    this.pending.push(message);
    if (!BATCHED.has(message.type)) {
      this.flush();
    } else if (this.flushHandle === null) {
      this.flushHandle = this.deps.setTimer(() => this.flush(), this.deps.flushDelayMs);
    }
  }

  /** Applies every pending message in order, with one store update. */
  flush(): void {
    if (this.flushHandle !== null) {
      this.deps.clearTimer(this.flushHandle);
      this.flushHandle = null;
    }
    const messages = this.pending;
    this.pending = [];
    if (messages.length === 0) return;
    let runs: RunsState = this.state;
    let picks = this.state.picks;
    const toPersist = new Set<string>();
    const finished: RunEntry[] = [];
    for (const m of messages) {
      if (RUN_MESSAGES.has(m.type)) {
        if ((m.type === 'probe' || m.type === 'epoch') && runs.runs[m.runId]) picks = applyPickMessage(picks, m);
        const { state, persist } = applyRunMessage(runs, m);
        runs = state;
        if (persist) toPersist.add(persist);
        if (m.type === 'done' && runs.runs[m.runId]) finished.push(runs.runs[m.runId]);
      }
    }
    if (runs !== this.state) {
      const { runs: r, order, progress, stepLosses, memory } = runs;
      this.set({ runs: r, order, progress, stepLosses, memory });
    }
    if (picks !== this.state.picks) this.set({ picks });
    if (toPersist.size) this.persist([...toPersist]);
    for (const m of messages) {
      if (m.type !== 'epoch' || !runs.runs[m.runId]) continue;
      for (const w of m.warnings) this.alert(`Run “${runs.runs[m.runId].record.name}”: ${w.message}`);
    }
    for (const entry of finished) {
      const { status, error, name } = entry.record;
      if (status === 'failed' || status === 'diverged') this.alert(`Run “${name}” ${status}: ${error ?? 'no reason given'}`);
    }
    for (const m of messages) {
      if (m.type === 'weights') this.keepWeights(m.runId, m.weights);
      else if (LANDSCAPE_MESSAGES.has(m.type)) this.applyLandscape(m as LandscapeMessage);
      else if (!RUN_MESSAGES.has(m.type)) this.applyOther(m);
    }
    if (finished.length && liveRuns(this.state).length === 0 && this.state.settings.backend !== this.state.backend.choice) {
      this.initBackend(this.state.settings.backend);
    }
  }

  private applyOther(m: FromWorker): void {
    const d = this.state.datasets;
    switch (m.type) {
      case 'ready':
        this.set({ backend: { ...this.state.backend, report: m.backend, state: 'ready', error: null } });
        this.releaseOutbox();
        return;
      case 'error': {
        const run = m.runId ? this.state.runs[m.runId] : undefined;
        if (!m.runId && this.awaitingReady) {
          this.set({ backend: { ...this.state.backend, state: 'failed', error: m.message } });
          this.releaseOutbox();
        }
        this.alert(run ? `Run “${run.record.name}”: ${m.message}` : m.message);
        return;
      }
      case 'dataset-progress':
        if (d.load?.requestId === m.requestId) {
          this.setLoad({ ...d.load, stage: m.stage, loadedBytes: m.loadedBytes, totalBytes: m.totalBytes });
        }
        return;
      case 'dataset-ready': {
        if (d.load?.requestId === m.requestId) {
          const { name, source, notes, notStored } = m.dataset;
          for (const note of notes ?? []) this.alert(`Dataset loaded with a note: ${note}`);
          if (notStored) this.alert(`${d.load.label} is loaded but could not be stored in this browser (${notStored}); it can be used until the page is reloaded or another dataset is loaded.`);
          this.set({
            datasets: { ...d, load: null, chosen: { ...d.chosen, [name]: source }, sample: { status: 'ready', summary: m.dataset, message: null } },
          });
          this.deps.worker.send({ type: 'list-datasets' });
          if (this.state.settings.dataset !== name) {
            const next = { ...this.state.settings, dataset: name, augment: defaultAugment(name) };
            this.set({ settings: next });
            this.writeUrl();
          }
        } else if (this.sampleRequest === m.requestId) {
          this.set({ datasets: { ...d, sample: { status: 'ready', summary: m.dataset, message: null } } });
        }
        return;
      }
      case 'dataset-error':
        if (d.load?.requestId === m.requestId) {
          this.setLoad({ ...d.load, error: m.message });
          this.alert(`Dataset not loaded: ${m.message}`);
        } else if (this.sampleRequest === m.requestId) {
          this.set({ datasets: { ...d, sample: { status: 'error', summary: null, message: m.message } } });
        }
        return;
      case 'datasets': {
        const chosen: Partial<Record<DatasetName, string>> = {};
        for (const [name, source] of Object.entries(d.chosen) as [DatasetName, string][]) {
          if (m.cached.some((c) => c.name === name && c.source === source)) chosen[name] = source;
        }
        this.set({ datasets: { ...d, cached: m.cached, chosen } });
        this.requestSample();
        return;
      }
      default:
        return;
    }
  }
}

/** The browser's wiring: the real location/history and the served index. */
export function browserLocation(): LocationAdapter {
  return {
    read: () => window.location.search,
    write: (search) => {
      if (search === window.location.search) return;
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
    },
  };
}

export async function fetchServedIndex(): Promise<unknown> {
  const response = await fetch('/datasets/index.json', { cache: 'no-cache' });
  if (!response.ok) return null;
  const type = response.headers.get('content-type') ?? '';
  // A dev server answers unknown paths with index.html: that is "no index", not an error.
  if (!type.includes('json')) return null;
  return response.json();
}
