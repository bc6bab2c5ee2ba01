/**
 * Datasets: the ones the worker holds, the archives this app serves, the source chosen per
 * dataset, a load in progress and the sample images of the chosen one.
 */
import { parseDatasetIndex, type DatasetIndexEntry } from '../../data/catalog';
import type { DatasetName } from '../../data/types';
import type { AvailableDataset, DatasetSummary } from '../../worker/protocol';
import { datasetSourceFor } from '../selectors';
import { alertEffect, type Effect, type Route, type SliceContext } from './context';
import { withDataset } from './settings';

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

export interface DatasetsState {
  cached: CachedDataset[];
  /** Archives this app serves (public/datasets/index.json). */
  served: DatasetIndexEntry[];
  /** The cached source chosen per dataset. */
  chosen: Partial<Record<DatasetName, string>>;
  load: DatasetLoad | null;
  sample: SampleState;
}

export interface DatasetsSliceState {
  datasets: DatasetsState;
}

export function emptyDatasets(): DatasetsSliceState {
  return { datasets: { cached: [], served: [], chosen: {}, load: null, sample: { status: 'idle', summary: null, message: null } } };
}

/** The chosen sources that are still cached. */
export function chosenAmong(chosen: DatasetsState['chosen'], cached: readonly CachedDataset[]): DatasetsState['chosen'] {
  const kept: DatasetsState['chosen'] = {};
  for (const [name, source] of Object.entries(chosen) as [DatasetName, string][]) {
    if (cached.some((c) => c.name === name && c.source === source)) kept[name] = source;
  }
  return kept;
}

export interface DatasetActions {
  loadFiles(files: File[]): void;
  loadUrl(url: string, name?: DatasetName): void;
  /** Stops the dataset load in progress: its download or file read is cancelled. */
  cancelLoad(): void;
  chooseSource(name: DatasetName, source: string): void;
  clearDatasets(): void;
  /** Asks the worker for sample images of the chosen dataset (debounced). */
  requestSample(): void;
}

export interface DatasetsLink {
  actions: DatasetActions;
  /** The describe-dataset request whose answer the sample grid waits for. */
  sampleRequest(): string | null;
  readServedIndex(): Promise<void>;
  dispose(): void;
}

export function datasetsSlice(ctx: SliceContext): DatasetsLink {
  let requestCounter = 0;
  let sampleRequest: string | null = null;
  let sampleTimer: unknown = null;
  const nextRequestId = (kind: string) => `${kind}-${++requestCounter}`;
  const setLoad = (load: DatasetLoad | null) => ctx.set({ datasets: { ...ctx.get().datasets, load } });

  const describeNow = (): void => {
    const state = ctx.get();
    const { settings } = state;
    const source = datasetSourceFor(state, settings.dataset);
    const d = state.datasets;
    if (!source) {
      sampleRequest = null;
      ctx.set({ datasets: { ...d, sample: { status: 'missing', summary: null, message: null } } });
      return;
    }
    const current = d.sample.summary;
    if (
      current &&
      current.name === settings.dataset &&
      (source.kind === 'synthetic' ? current.source === `seed ${settings.seed}` : current.source === source.source)
    ) {
      return;
    }
    const requestId = nextRequestId('describe');
    sampleRequest = requestId;
    ctx.set({ datasets: { ...d, sample: { ...d.sample, status: 'loading', message: null } } });
    ctx.link.send({ type: 'describe-dataset', requestId, dataset: source, seed: settings.seed });
  };

  const actions: DatasetActions = {
    loadFiles(files) {
      if (files.length === 0) return;
      const requestId = nextRequestId('files');
      const label = files.map((f) => f.name).join(', ');
      setLoad({
        requestId,
        label,
        via: 'files',
        stage: 'starting',
        loadedBytes: 0,
        totalBytes: files.reduce((s, f) => s + f.size, 0),
        error: null,
      });
      ctx.link.send({ type: 'load-files', requestId, files });
    },
    loadUrl(url, name) {
      const trimmed = url.trim();
      if (!trimmed) return;
      let absolute: string;
      try {
        absolute = new URL(trimmed, typeof location !== 'undefined' ? location.href : 'http://localhost/').href;
      } catch {
        setLoad({
          requestId: 'invalid',
          label: trimmed,
          via: 'url',
          stage: 'starting',
          loadedBytes: 0,
          totalBytes: null,
          error: `“${trimmed}” is not a URL.`,
        });
        ctx.alert(`“${trimmed}” is not a URL.`);
        return;
      }
      const requestId = nextRequestId('url');
      setLoad({ requestId, label: absolute, via: 'url', stage: 'starting', loadedBytes: 0, totalBytes: null, error: null });
      ctx.link.send({ type: 'load-url', requestId, url: absolute, ...(name ? { name } : {}) });
    },
    cancelLoad() {
      const load = ctx.get().datasets.load;
      if (!load) return;
      if (load.error === null) ctx.link.send({ type: 'cancel-load', requestId: load.requestId });
      setLoad(null);
    },
    chooseSource(name, source) {
      const d = ctx.get().datasets;
      ctx.set({ datasets: { ...d, chosen: { ...d.chosen, [name]: source } } });
      if (ctx.get().settings.dataset === name) ctx.requestSample();
    },
    clearDatasets() {
      ctx.link.send({ type: 'clear-datasets' });
    },
    requestSample() {
      if (sampleTimer !== null) ctx.deps.clearTimer(sampleTimer);
      sampleTimer = ctx.deps.setTimer(() => {
        sampleTimer = null;
        describeNow();
      }, 250);
    },
  };
  return {
    actions,
    sampleRequest: () => sampleRequest,
    async readServedIndex() {
      if (!ctx.deps.fetchDatasetIndex) return;
      try {
        const json = await ctx.deps.fetchDatasetIndex();
        if (json === null) return;
        const served = parseDatasetIndex(json).datasets;
        ctx.set({ datasets: { ...ctx.get().datasets, served } });
      } catch {
        // A missing or malformed index only means no archive is offered.
      }
    },
    dispose() {
      if (sampleTimer !== null) ctx.deps.clearTimer(sampleTimer);
    },
  };
}

export const onDatasetProgress: Route<'dataset-progress'> = (state, m) => {
  const d = state.datasets;
  if (d.load?.requestId !== m.requestId) return { state, effects: [] };
  const load = { ...d.load, stage: m.stage, loadedBytes: m.loadedBytes, totalBytes: m.totalBytes };
  return { state: { ...state, datasets: { ...d, load } }, effects: [] };
};

/** A load finished (the panel switches to its dataset), or the sample grid's images came. */
export const onDatasetReady: Route<'dataset-ready'> = (state, m, env) => {
  const d = state.datasets;
  const sample: SampleState = { status: 'ready', summary: m.dataset, message: null };
  if (d.load?.requestId === m.requestId) {
    const { name, source, notes, notStored } = m.dataset;
    const effects: Effect[] = (notes ?? []).map((note) => alertEffect(`Dataset loaded with a note: ${note}`));
    if (notStored)
      effects.push(
        alertEffect(
          `${d.load.label} is loaded but could not be stored in this browser (${notStored}); it can be used until the page is reloaded or another dataset is loaded.`,
        ),
      );
    effects.push({ kind: 'send', message: { type: 'list-datasets' } });
    const settings = withDataset(state.settings, name);
    if (settings !== state.settings) effects.push({ kind: 'write-url' });
    return { state: { ...state, settings, datasets: { ...d, load: null, chosen: { ...d.chosen, [name]: source }, sample } }, effects };
  }
  if (env.sampleRequest === m.requestId) return { state: { ...state, datasets: { ...d, sample } }, effects: [] };
  return { state, effects: [] };
};

export const onDatasetError: Route<'dataset-error'> = (state, m, env) => {
  const d = state.datasets;
  if (d.load?.requestId === m.requestId) {
    return {
      state: { ...state, datasets: { ...d, load: { ...d.load, error: m.message } } },
      effects: [alertEffect(`Dataset not loaded: ${m.message}`)],
    };
  }
  if (env.sampleRequest === m.requestId) {
    return { state: { ...state, datasets: { ...d, sample: { status: 'error', summary: null, message: m.message } } }, effects: [] };
  }
  return { state, effects: [] };
};

export const onDatasets: Route<'datasets'> = (state, m) => ({
  state: { ...state, datasets: { ...state.datasets, cached: m.cached, chosen: chosenAmong(state.datasets.chosen, m.cached) } },
  effects: [{ kind: 'request-sample' }],
});
