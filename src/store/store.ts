/**
 * The page's single source of truth (one zustand store) and the controller that feeds it: the
 * slices' actions (src/store/slices) composed over one store, the worker link, run storage and
 * the address. Nothing here touches tensors or imports tfjs; the worker is reached only through
 * its client.
 */
import { createStore } from 'zustand/vanilla';
import type { FromWorker } from '../worker/protocol';
import { RunStorage } from './run-storage';
import { serializeQuery } from './settings';
import { alertActions, type AlertActions } from './slices/alerts';
import { backendActions, type BackendActions } from './slices/backend';
import type { AppDeps, AppStore, Effect, LocationAdapter, ResolvedDeps, SliceContext } from './slices/context';
import { datasetsSlice, type DatasetActions, type DatasetsLink } from './slices/datasets';
import { landscapesSlice, type LandscapeActions, type LandscapesLink } from './slices/landscapes';
import { routeAll } from './slices/routes';
import { runIo, type RunIoActions, type RunIoLink } from './slices/run-io';
import { runActions, runQueue, type RunActions } from './slices/runs';
import { settingsActions, type SettingsActions } from './slices/settings';
import { initialState, type AppState } from './slices/state';
import { sweepActions, type SweepActions } from './slices/sweeps';
import { WorkerLink } from './worker-link';

export type { AppState } from './slices/state';
export type { AppDeps, AppStore, LocationAdapter } from './slices/context';
export type { Alert } from './slices/alerts';
export type { BackendState } from './slices/backend';
export type { CachedDataset, DatasetLoad, SampleState } from './slices/datasets';

function resolveDeps(deps: AppDeps): ResolvedDeps {
  return {
    now: () => new Date(),
    newId: () =>
      typeof crypto !== 'undefined' && 'randomUUID' in crypto
        ? crypto.randomUUID()
        : `run-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
    agent: typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown',
    flushDelayMs: 150,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    ...deps,
  };
}

/** Every action the page can take; the controller is these plus the worker link's entry points. */
export interface AppActions
  extends AlertActions, SettingsActions, BackendActions, RunActions, RunIoActions, SweepActions, LandscapeActions, DatasetActions {}

/** The actions less the questions about state: components ask those through selectors, so answers never go stale. */
export type AppCommands = Omit<AppActions, 'landscapeBlocker' | 'sweepBlockers' | 'baselineAmong'>;

// The class is declared with its actions' interface so that `app.start()` and friends type-check;
// the constructor assigns them from the slices.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- see above
export interface AppController extends AppActions {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see above
export class AppController {
  readonly store: AppStore;
  private readonly ctx: SliceContext;
  private readonly link: WorkerLink;
  private readonly datasets: DatasetsLink;
  private readonly landscapes: LandscapesLink;
  private readonly io: RunIoLink;

  constructor(input: AppDeps) {
    const deps = resolveDeps(input);
    this.store = createStore<AppState>(() => initialState(deps.location.read()));
    const store = this.store;
    const alerts = alertActions({ get: store.getState, set: (p) => store.setState(p) });
    this.link = new WorkerLink(deps.worker, deps, (messages) => this.apply(messages));
    const ctx: SliceContext = {
      get: store.getState,
      set: (p) => store.setState(p),
      deps,
      link: this.link,
      storage: new RunStorage(deps.persistence, (message) => alerts.alert(message)),
      alert: (message) => alerts.alert(message),
      persist: (ids) => this.io.persist(ids),
      initBackend: (choice) => backend.initBackend(choice),
      requestSample: () => this.datasets.actions.requestSample(),
      writeUrl: () => deps.location.write(serializeQuery(store.getState().settings)),
    };
    const backend = backendActions(ctx);
    this.datasets = datasetsSlice(ctx);
    this.landscapes = landscapesSlice(ctx);
    this.io = runIo(ctx);
    const queue = runQueue(ctx);
    const runs = runActions(ctx, queue);
    const actions: AppActions = {
      ...alerts,
      ...settingsActions(ctx),
      ...backend,
      ...runs,
      ...this.io.actions,
      ...sweepActions(ctx, queue, runs),
      ...this.landscapes.actions,
      ...this.datasets.actions,
    };
    Object.assign(this, actions);
    this.ctx = ctx;

    ctx.writeUrl();
    backend.initBackend(store.getState().settings.backend);
    this.link.send({ type: 'list-datasets' });
    void this.io.hydrate();
    void this.datasets.readServedIndex();
    this.datasets.actions.requestSample();
  }

  dispose(): void {
    this.link.dispose();
    this.datasets.dispose();
  }

  /** Receives a worker message; frequent ones are applied in batches. */
  receive(message: FromWorker): void {
    this.link.receive(message);
  }

  /** Applies every pending worker message in order, with one store update. */
  flush(): void {
    this.link.flush();
  }

  private apply(messages: readonly FromWorker[]): void {
    const before = this.store.getState();
    const { state, effects } = routeAll(before, messages, {
      awaitingReady: this.link.awaitingReady,
      sampleRequest: this.datasets.sampleRequest(),
    });
    if (state !== before) this.store.setState(state, true);
    this.run(effects);
  }

  /** Carries out what the messages asked: saves first (one write for the batch), then the rest in order. */
  private run(effects: readonly Effect[]): void {
    const persist = new Set(effects.flatMap((e) => (e.kind === 'persist' ? e.ids : [])));
    if (persist.size) this.io.persist([...persist]);
    for (const e of effects) {
      switch (e.kind) {
        case 'persist':
          break;
        case 'alert':
          this.ctx.alert(e.message);
          break;
        case 'send':
          this.link.send(e.message);
          break;
        case 'release-outbox':
          this.link.releaseOutbox();
          break;
        case 'init-backend':
          this.ctx.initBackend(e.choice);
          break;
        case 'request-sample':
          this.ctx.requestSample();
          break;
        case 'write-url':
          this.ctx.writeUrl();
          break;
        case 'keep-weights':
          this.landscapes.keepWeights(e.runId, e.weights);
          break;
        case 'store-landscape': {
          const record = e.record;
          void this.ctx.storage.use((p) => p.putLandscape(record));
          break;
        }
      }
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
