/**
 * What every slice's actions share: the store, the worker link, run storage and the few
 * actions one slice asks of another. Message routes are pure: they return the next state and
 * the effects the composition then carries out.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { LandscapeRecord } from '../../engine/landscape/record';
import type { ModelWeights } from '../../engine/weights';
import type { TrainingWorkerClient } from '../../worker/client';
import type { BackendChoice, FromWorker, ToWorker } from '../../worker/protocol';
import type { RunPersistence } from '../persistence';
import type { RunStorage } from '../run-storage';
import type { WorkerLink } from '../worker-link';
import type { AppState } from './state';

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

export type ResolvedDeps = Required<Omit<AppDeps, 'fetchDatasetIndex'>> & Pick<AppDeps, 'fetchDatasetIndex'>;

export type AppStore = StoreApi<AppState>;

export interface SliceContext {
  get(): AppState;
  set(partial: Partial<AppState>): void;
  readonly deps: ResolvedDeps;
  readonly link: WorkerLink;
  readonly storage: RunStorage;
  alert(message: string): void;
  /** Saves these runs, and any whose earlier save failed. */
  persist(ids: readonly string[]): void;
  initBackend(choice: BackendChoice): void;
  /** Asks the worker for sample images of the chosen dataset (debounced). */
  requestSample(): void;
  /** Writes the settings into the address. */
  writeUrl(): void;
}

/** What a message asks of the world beyond the state. */
export type Effect =
  | { kind: 'alert'; message: string }
  | { kind: 'persist'; ids: readonly string[] }
  | { kind: 'send'; message: ToWorker }
  | { kind: 'release-outbox' }
  | { kind: 'init-backend'; choice: BackendChoice }
  | { kind: 'request-sample' }
  | { kind: 'write-url' }
  | { kind: 'keep-weights'; runId: string; weights: ModelWeights }
  | { kind: 'store-landscape'; record: LandscapeRecord };

/** What routes read besides the state: the link's and the sample request's bookkeeping. */
export interface RouteEnv {
  awaitingReady: boolean;
  sampleRequest: string | null;
}

export interface Outcome {
  state: AppState;
  effects: Effect[];
}

export type Route<T extends FromWorker['type']> = (state: AppState, message: Extract<FromWorker, { type: T }>, env: RouteEnv) => Outcome;

/** One route per worker message type: a message type without one does not compile. */
export type Routes = { readonly [T in FromWorker['type']]: Route<T> };

export function alertEffect(message: string): Effect {
  return { kind: 'alert', message };
}
