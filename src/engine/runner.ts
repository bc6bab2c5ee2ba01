import { checkDataset } from '../data/check';
import { batchCount } from '../data/pipeline';
import type { ImageDataset } from '../data/types';
import { createModel, isModelName } from './models';
import { stepRuleFor } from './optimizer/config';
import { SharpnessAwareOptimizer } from './optimizer/step';
import { Rng } from './random';
import { RunClock } from './run/clock';
import { batchTensors, prepareRunData } from './run/data';
import { trainEpoch, type TrainingState } from './run/epoch';
import { evaluate } from './run/evaluate';
import { measureEpoch } from './run/measure';
import { flippedShares, probeBatchOf, type ProbeBatch } from './run/probe';
import { divergedError, epochRecordOf, isFiniteEpoch, startRecord } from './run/record';
import {
  summarize,
  type EpochRecord,
  type RunConfig,
  type RunEnvironment,
  type RunGroup,
  type RunRecord,
  type RunSummary,
} from './run-record';
import { isDivergedLoss, stabilityWarnings, type EpochLosses, type InstabilityReason, type RunWarning } from './stability';
import { validateRunConfig } from './validation';
import { readWeights, type ModelWeights } from './weights';

export { batchTensors, prepareRunData, type RunData } from './run/data';
export type { ProbeBatch } from './run/probe';

export interface StepProgress {
  epoch: number;
  /** Steps done in this epoch, of `steps`. */
  step: number;
  steps: number;
  /** Mean training loss of each step since the last progress report. */
  recentLosses: number[];
  /** Estimated seconds until the run ends; null until a step has been timed. */
  etaSeconds: number | null;
}

export interface RunHooks {
  /** Called once the run's data is prepared, with the record as it starts (resolved subset sizes). */
  onStart?(record: RunRecord): void;
  onProgress?(progress: StepProgress): void;
  /** Once the probe batch is drawn, before the first step. */
  onProbe?(probe: ProbeBatch): void;
  onEpoch?(epoch: EpochRecord, summary: RunSummary, details: EpochDetails): void;
  /**
   * Awaited between steps: it may hold the run while paused; 'stop' ends it, discarding the
   * partial epoch. Time spent in it is not training time.
   */
  checkpoint?(): Promise<'continue' | 'stop'>;
  /** Milliseconds on a monotonic clock (performance.now by default). */
  now?(): number;
  /** The final weights of a run that completed or stopped after at least one epoch (for the loss landscape). */
  onWeights?(weights: ModelWeights): void | Promise<void>;
}

export interface RunInputs {
  id: string;
  name: string;
  createdAt?: string;
  config: RunConfig;
  dataset: ImageDataset;
  environment: RunEnvironment;
  /** Steps between readbacks of the step losses (one awaited read per group). */
  readbackEvery?: number;
  /**
   * Steps per epoch the cost meter times by phase, with the device synchronised between phases
   * (DEFAULT_COST_SAMPLES in src/engine/run/cost-meter.ts is what the page and the CLI use); the
   * epoch records then carry the phase means. 0 or absent: no meter.
   */
  costSamplesPerEpoch?: number;
  /** The seed group the run belongs to, carried into its record. */
  group?: RunGroup;
}

/** What else an epoch tells besides its record. */
export interface EpochDetails {
  /** Warnings this epoch raised (usually none). */
  warnings: RunWarning[];
  /** Indices into the probe batch of B+ at this epoch's end, largest loss rise first. */
  probeBPlus: number[];
}

/**
 * Trains one run to the end (or until stopped, diverged or failed) and returns its record.
 * The same code runs in the browser worker and in the Node CLI. Invalid configs throw a
 * HyperparameterError before any work; failures during training end in status 'failed'.
 */
export async function runTraining(inputs: RunInputs, hooks: RunHooks = {}): Promise<RunRecord> {
  const { config } = inputs;
  validateRunConfig(config, isModelName);
  if (!isModelName(config.model)) throw new Error('unreachable');
  const clock = new RunClock(hooks.now ?? (() => performance.now()), hooks.checkpoint);
  // A damaged cache entry or loader bug must not train silently on labels outside the classes.
  checkDataset(inputs.dataset);
  const rng = new Rng(config.seed);
  const data = prepareRunData(inputs.dataset, config, rng);
  const stepsPerEpoch = batchCount(data.train.count, config.batchSize);
  if (stepsPerEpoch < 1) {
    throw new Error(`the training set has ${data.train.count} images, fewer than one batch of ${config.batchSize}`);
  }

  const raisedWarnings: RunWarning[] = [];
  const record = startRecord(inputs, data, raisedWarnings);
  hooks.onStart?.(structuredClone(record));
  const shape = [data.height, data.width, data.channels];
  const model = createModel(config.model, shape, data.classNames.length, rng.fork('init'));
  const rule = stepRuleFor(config.optimizer);
  const optimizer = new SharpnessAwareOptimizer(model, rule, { momentum: config.momentum, weightDecay: config.weightDecay });
  const batchOpts = { mean: data.mean, std: data.std, height: data.height, width: data.width };
  const probeIndices = rng.fork('probe').permutation(data.train.count).subarray(0, config.batchSize);
  const probe = batchTensors(data.train, probeIndices, batchOpts);
  const probeBatch = probeBatchOf(data, probeIndices, config.dataset.labelNoise);
  hooks.onProbe?.(probeBatch);
  const streams = {
    order: rng.fork('order'),
    augment: rng.fork('augment'),
    swp: rng.fork('swp'),
    diagnostics: rng.fork('diagnostics'),
    linearity: rng.fork('linearity'),
    hessian: rng.fork('hessian'),
  };
  const state: TrainingState = { stepsDone: 0, totalSteps: stepsPerEpoch * config.epochs, stepsPerEpoch, runStart: clock.now() };
  const readbackEvery = Math.max(1, inputs.readbackEvery ?? 10);
  const lossHistory: EpochLosses[] = [];
  const raised = new Set<InstabilityReason>();

  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const trained = await trainEpoch({
        epoch,
        config,
        data,
        model,
        rule,
        optimizer,
        batchOpts,
        streams,
        clock,
        state,
        readbackEvery,
        costSamples: inputs.costSamplesPerEpoch ?? 0,
        onProgress: hooks.onProgress,
      });
      if (trained.kind !== 'trained') {
        record.status = trained.kind === 'stop' ? 'stopped' : 'diverged';
        if (trained.kind === 'diverged') record.error = divergedError(epoch, trained.loss);
        break;
      }
      const test = await evaluate(model, data.test, config.batchSize, batchOpts);
      const { bPlus, ...diagnostics } = await measureEpoch(model, probe, {
        rule,
        rho: config.optimizer.rho,
        batchSize: config.batchSize,
        linearity: config.linearity === true,
        diagnosticsRng: streams.diagnostics,
        linearityRng: streams.linearity,
        hessian: config.hessian === true,
        hessianRng: streams.hessian,
      });
      const images = stepsPerEpoch * config.batchSize;
      const epochRecord = epochRecordOf({ ...trained, epoch, images, test, diagnostics, flipped: flippedShares(probeBatch, bPlus) });
      // The weights can blow up in the epoch's last step, after the last loss read back.
      const finite = isFiniteEpoch(epochRecord);
      if (!finite || isDivergedLoss(epochRecord.testLoss)) {
        record.status = 'diverged';
        record.error = divergedError(epoch, finite ? epochRecord.testLoss : Number.NaN);
        break;
      }
      record.epochs.push(epochRecord);
      record.summary = summarize(record.epochs, images);
      lossHistory.push({ epoch, trainLoss: epochRecord.trainLoss, minStepLoss: trained.minStepLoss });
      const warnings = stabilityWarnings(lossHistory, data.classNames.length, config, raised);
      for (const w of warnings) raised.add(w.reason);
      raisedWarnings.push(...warnings);
      hooks.onEpoch?.(epochRecord, record.summary, { warnings, probeBPlus: bPlus });
    }
    if (record.status === 'running') record.status = 'completed';
    if (hooks.onWeights && record.epochs.length > 0 && (record.status === 'completed' || record.status === 'stopped')) {
      await hooks.onWeights(await readWeights(model));
    }
  } catch (e) {
    record.status = 'failed';
    record.error = e instanceof Error ? e.message : String(e);
  } finally {
    probe.x.dispose();
    probe.y.dispose();
    optimizer.dispose();
    model.dispose();
  }
  return record;
}
