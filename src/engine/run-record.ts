import type { DatasetName } from '../data/types';
import type { Diagnostics, LinearityDiagnostics } from './diagnostics';
import type { OptimizerConfig } from './optimizer/config';
import { phaseCostKey, STEP_PHASES, type PhaseCostKey } from './optimizer/phases';
import type { ScheduleName } from './schedule';
import type { RunWarning } from './stability';

/** The run JSON (see docs/run-json.md): shared by the worker, the UI, export/import and the CLI. */
export const RUN_FORMAT = 'esam-playground/run@1';
export const RUNS_FORMAT = 'esam-playground/runs@1';

export const RUN_STATUSES = ['running', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface DatasetConfig {
  name: DatasetName;
  /** Training images used (the first N after a seeded shuffle); 0 in a config means all. */
  trainSize: number;
  /** Test images used; 0 in a config means all. */
  testSize: number;
  augment: boolean;
  labelNoise: number;
}

export interface RunConfig {
  dataset: DatasetConfig;
  model: string;
  optimizer: OptimizerConfig;
  lr: number;
  momentum: number;
  weightDecay: number;
  schedule: ScheduleName;
  batchSize: number;
  epochs: number;
  seed: number;
  /** The optional linearity diagnostic ζ (appendix A.3); absent means off. */
  linearity?: boolean;
  /** The optional top Hessian eigenvalue λ_max of the probe batch's loss; absent means off. */
  hessian?: boolean;
}

export interface RunEnvironment {
  backend: string;
  adapter: string | null;
  tfjsVersion: string;
  agent: string;
}

/** On the probe batch of a run with label noise: the share whose label was replaced, in the batch and in its B+. */
export interface LabelNoiseDiagnostics {
  flippedBatch: number;
  flippedBPlus: number;
}

/** λ_max on the probe batch by power iteration (src/engine/run/hessian-measure.ts). */
export interface HessianDiagnostics {
  /** vᵀHv at the last iterate: the Hessian's eigenvalue of largest magnitude. */
  lambdaMax: number;
  /** ‖Hv − λv‖ / |λ| at the last iterate (0 for an exact eigenvector). */
  lambdaMaxResidual: number;
  /** Power-iteration steps taken. */
  lambdaMaxIterations: number;
}

export interface EpochRecord
  extends
    Diagnostics,
    Partial<LinearityDiagnostics>,
    Partial<HessianDiagnostics>,
    Partial<LabelNoiseDiagnostics>,
    Partial<Record<PhaseCostKey, number>> {
  epoch: number;
  seconds: number;
  imagesPerSec: number;
  lr: number;
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testAcc: number;
}

export interface RunSummary {
  finalTestAcc: number | null;
  bestTestAcc: number | null;
  imagesPerSec: number | null;
  totalSeconds: number;
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  id: string;
  name: string;
  createdAt: string;
  status: RunStatus;
  error: string | null;
  config: RunConfig;
  environment: RunEnvironment;
  epochs: EpochRecord[];
  summary: RunSummary;
  /** Said about the run while it trained (for example "unstable"); absent in files that predate them means none. */
  warnings?: RunWarning[];
  /** The seed group this run belongs to: runs that differ only in their seed. Absent when alone. */
  group?: RunGroup;
}

/** Runs queued together that differ only in the seed; charts and tables show their mean ± std. */
export interface RunGroup {
  id: string;
  name: string;
}

export interface RunsExport {
  format: typeof RUNS_FORMAT;
  runs: RunRecord[];
}

/** Keys of an epoch record, in the order the contract lists them. */
export const EPOCH_KEYS = [
  'epoch',
  'seconds',
  'imagesPerSec',
  'lr',
  'trainLoss',
  'trainAcc',
  'testLoss',
  'testAcc',
  'lossBPlus',
  'lossBMinus',
  'lossBPlusPerturbed',
  'lossBMinusPerturbed',
  'cosBPlus',
  'cosBMinus',
  'cosRandom',
  'sharpness',
] as const satisfies readonly (keyof EpochRecord)[];

/** ζ's keys: in every epoch of a run with config.linearity, in no other. */
export const LINEARITY_EPOCH_KEYS = ['linearity', 'linearityBPlus', 'linearityBMinus'] as const satisfies readonly (keyof EpochRecord)[];
/** λ_max's keys: in every epoch of a run with config.hessian, in no other. */
export const HESSIAN_EPOCH_KEYS = [
  'lambdaMax',
  'lambdaMaxResidual',
  'lambdaMaxIterations',
] as const satisfies readonly (keyof EpochRecord)[];
/** The replaced-label shares: in every epoch of a run with label noise, in no other. */
export const LABEL_NOISE_EPOCH_KEYS = ['flippedBatch', 'flippedBPlus'] as const satisfies readonly (keyof EpochRecord)[];
/** The cost meter's mean milliseconds per step of each phase: in the epochs of a metered run, for the phases its method has. */
export const COST_EPOCH_KEYS: readonly PhaseCostKey[] = STEP_PHASES.map(phaseCostKey);
/** Keys an epoch record has only when its run measured them. */
export const OPTIONAL_EPOCH_KEYS = [...LINEARITY_EPOCH_KEYS, ...HESSIAN_EPOCH_KEYS, ...LABEL_NOISE_EPOCH_KEYS, ...COST_EPOCH_KEYS] as const;
export type OptionalEpochKey = (typeof OPTIONAL_EPOCH_KEYS)[number];

/**
 * Summary over the epochs so far. Throughput leaves out the first epoch (warm-up: shader
 * compilation, buffer allocation) unless it is the only one.
 */
export function summarize(epochs: readonly EpochRecord[], trainImagesPerEpoch: number): RunSummary {
  const accs = epochs.map((e) => e.testAcc);
  const timed = epochs.length > 1 ? epochs.slice(1) : epochs;
  const seconds = timed.reduce((s, e) => s + e.seconds, 0);
  return {
    finalTestAcc: accs.length ? accs[accs.length - 1] : null,
    bestTestAcc: accs.length ? Math.max(...accs) : null,
    imagesPerSec: timed.length && seconds > 0 ? (timed.length * trainImagesPerEpoch) / seconds : null,
    totalSeconds: epochs.reduce((s, e) => s + e.seconds, 0),
  };
}
