/**
 * The typed messages between the page and the training worker: one union per direction.
 * Messages carry only what is new (an epoch, a few step losses), never whole histories.
 */
import type { DatasetName } from '../data/types';
import type { BackendName } from '../engine/backend-names';
import type { LandscapeOptions, LandscapeRecord } from '../engine/landscape/record';
import type { EpochRecord, RunConfig, RunEnvironment, RunRecord, RunStatus, RunSummary } from '../engine/run-record';
import type { ProbeBatch } from '../engine/runner';
import type { RunWarning } from '../engine/stability';
import type { ModelWeights } from '../engine/weights';

export type BackendChoice = 'auto' | BackendName;

/** What the page shows about the compute backend. */
export interface BackendReport extends RunEnvironment {
  /** e.g. "WebGPU — Google SwiftShader (software adapter)". */
  description: string;
  /** Whether the adapter is a fallback / software one. */
  software: boolean;
  /** Why a preferred backend was not used (for example, no WebGPU adapter); null when none was skipped. */
  fallbackReason: string | null;
}

/** Where a run's images come from. */
export type DatasetSource =
  | { kind: 'synthetic' }
  /** A dataset parsed earlier and kept in the worker's IndexedDB cache. */
  | { kind: 'cached'; name: DatasetName; source: string };

/** A dataset the worker has ready, as the page lists it. */
export interface DatasetSummary {
  name: DatasetName;
  source: string;
  trainCount: number;
  testCount: number;
  classNames: string[];
  height: number;
  width: number;
  channels: number;
  /** A few training images (count × height × width × channels bytes) with their labels, for the sample grid. */
  samples: { images: Uint8Array; labels: number[] };
  /** What the loader noticed but accepted (an incomplete set), one sentence each. */
  notes?: string[];
  /** Set when the dataset could not be stored in the browser (it is kept in memory only): why. */
  notStored?: string;
}

/** A dataset the worker can train on: stored in IndexedDB, or (`stored: false`) held in memory only. */
export interface AvailableDataset {
  name: DatasetName;
  source: string;
  trainCount: number;
  testCount: number;
  bytes: number;
  stored?: false;
}

export interface TensorMemory {
  numTensors: number;
  numBytes: number;
  /** GPU bytes held by the backend, where it reports them. */
  numBytesInGPU: number | null;
}

export type ToWorker =
  | { type: 'init'; backend: BackendChoice }
  | { type: 'start'; runId: string; name: string; createdAt: string; config: RunConfig; dataset: DatasetSource }
  | { type: 'pause'; runId: string }
  | { type: 'resume'; runId: string }
  | { type: 'stop'; runId: string }
  /** Parse dropped or picked files (a CIFAR .tar.gz, .bin files, or the four Fashion-MNIST IDX files). */
  | { type: 'load-files'; requestId: string; files: File[] }
  /** Download and parse a dataset archive from a URL (same origin, or a server that allows CORS). */
  | { type: 'load-url'; requestId: string; url: string; name?: DatasetName }
  | { type: 'describe-dataset'; requestId: string; dataset: DatasetSource; seed: number }
  /** Stops the dataset load `requestId` (the download or file read is cancelled). */
  | { type: 'cancel-load'; requestId: string }
  | { type: 'list-datasets' }
  | { type: 'clear-datasets' }
  | { type: 'memory' }
  /** Evaluates a finished run's loss landscape; it waits in the same queue as runs. */
  | { type: 'landscape'; requestId: string; run: LandscapeRun; weights: ModelWeights; dataset: DatasetSource; options: LandscapeOptions }
  | { type: 'cancel-landscape'; requestId: string };

/** The run a landscape is computed for: what rebuilds its model and data. */
export interface LandscapeRun {
  id: string;
  name: string;
  config: RunConfig;
}

export type FromWorker =
  | { type: 'ready'; backend: BackendReport }
  /** A run left the queue and began; `record` has the resolved config (subset sizes) and environment. */
  | { type: 'run-started'; runId: string; record: RunRecord }
  | { type: 'progress'; runId: string; epoch: number; step: number; steps: number; recentLosses: number[]; etaSeconds: number | null }
  /** The run's fixed probe batch (once, before its first step), for the gallery of SDS's picks. */
  | { type: 'probe'; runId: string; probe: ProbeBatch }
  /**
   * `warnings`: those this epoch raised (usually none); `probeBPlus`: B+ of the probe batch at its end.
   * `epoch` carries the cost meter's phase means (`COST_EPOCH_KEYS`): every run the worker trains is metered.
   */
  | {
      type: 'epoch';
      runId: string;
      epoch: EpochRecord;
      summary: RunSummary;
      warnings: RunWarning[];
      probeBPlus: number[];
      memory: TensorMemory;
    }
  | { type: 'paused'; runId: string; paused: boolean }
  /** A finished run's final weights, sent just before its 'done' (completed or stopped runs with an epoch). */
  | { type: 'weights'; runId: string; weights: ModelWeights }
  | { type: 'done'; runId: string; status: Exclude<RunStatus, 'running' | 'interrupted'>; error: string | null; summary: RunSummary }
  | { type: 'dataset-progress'; requestId: string; loadedBytes: number; totalBytes: number | null; stage: 'download' | 'parse' }
  | { type: 'dataset-ready'; requestId: string; dataset: DatasetSummary }
  | { type: 'dataset-error'; requestId: string; message: string; cancelled?: boolean }
  | { type: 'datasets'; cached: AvailableDataset[] }
  | { type: 'memory'; memory: TensorMemory }
  | { type: 'landscape-progress'; requestId: string; done: number; total: number }
  | { type: 'landscape-done'; requestId: string; record: LandscapeRecord }
  /** The landscape was refused, failed or cancelled (`cancelled` true); nothing was computed. */
  | { type: 'landscape-error'; requestId: string; message: string; cancelled: boolean }
  /** Something went wrong outside a run (or a run could not start); the page shows it in an alert. */
  | { type: 'error'; runId: string | null; message: string };
