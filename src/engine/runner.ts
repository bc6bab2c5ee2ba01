import * as tf from '@tensorflow/tfjs';
import { checkDataset } from '../data/check';
import { batchCount, evalBatches, makeBatch, subset, withLabelNoise } from '../data/pipeline';
import type { ImageDataset, ImageSplit } from '../data/types';
import { measureDiagnostics, probeSelectedCount, type RunPerturbation } from './diagnostics';
import { evalSums } from './loss';
import { createModel, isModelName, type Model } from './models';
import { SDS_FULL_BATCH_THRESHOLD, stepRuleFor, type StepRule } from './optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from './optimizer/step';
import { drawSwpMask } from './optimizer/swp';
import { Rng } from './random';
import { EPOCH_KEYS, OPTIONAL_EPOCH_KEYS, RUN_FORMAT, summarize, type EpochRecord, type RunConfig, type RunEnvironment, type RunGroup, type RunRecord, type RunSummary } from './run-record';
import { learningRateAt } from './schedule';
import { isDivergedLoss, stabilityWarnings, type EpochLosses, type InstabilityReason, type RunWarning } from './stability';
import { validateRunConfig } from './validation';
import { readWeights, type ModelWeights } from './weights';

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
  /** The seed group the run belongs to, carried into its record. */
  group?: RunGroup;
}

/** A run's data, and the training labels as they were before label noise replaced some. */
export type RunData = ImageDataset & { cleanTrainLabels: Uint8Array };

/** The training data a run uses: its seeded subset, with label noise on the training split. */
export function prepareRunData(dataset: ImageDataset, config: RunConfig, rng: Rng): RunData {
  const { trainSize, testSize, labelNoise } = config.dataset;
  const chosen = subset(dataset, trainSize || undefined, testSize || undefined, rng.fork('subset'));
  const cleanTrainLabels = chosen.train.labels;
  if (labelNoise === 0) return { ...chosen, cleanTrainLabels };
  return { ...chosen, train: withLabelNoise(chosen.train, labelNoise, chosen.classNames.length, rng.fork('label-noise')), cleanTrainLabels };
}

/** The fixed probe batch the diagnostics measure, as the page's gallery of SDS's picks shows it. */
export interface ProbeBatch {
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  /** count × height × width × channels bytes. */
  images: Uint8Array;
  /** The labels trained on (after label noise). */
  labels: number[];
  /** The labels before label noise; null when the run has none. */
  cleanLabels: number[] | null;
}

/** What else an epoch tells besides its record. */
export interface EpochDetails {
  /** Warnings this epoch raised (usually none). */
  warnings: RunWarning[];
  /** Indices into the probe batch of B+ at this epoch's end, largest loss rise first. */
  probeBPlus: number[];
}

function probeBatchOf(data: RunData, indices: Int32Array, labelNoise: number): ProbeBatch {
  const size = data.height * data.width * data.channels;
  const images = new Uint8Array(indices.length * size);
  indices.forEach((idx, i) => images.set(data.train.images.subarray(idx * size, (idx + 1) * size), i * size));
  const labels = Array.from(indices, (idx) => data.train.labels[idx]);
  const cleanLabels = labelNoise > 0 ? Array.from(indices, (idx) => data.cleanTrainLabels[idx]) : null;
  return { height: data.height, width: data.width, channels: data.channels, classNames: data.classNames, images, labels, cleanLabels };
}

/** The share of the probe batch, and of its B+, whose label noise changed the label. */
function flippedShares(probe: ProbeBatch, bPlus: readonly number[]): { flippedBatch: number; flippedBPlus: number } | null {
  const clean = probe.cleanLabels;
  if (!clean) return null;
  const flipped = (i: number) => (probe.labels[i] !== clean[i] ? 1 : 0);
  const batch = probe.labels.reduce((n, _, i) => n + flipped(i), 0);
  const plus = bPlus.reduce((n, i) => n + flipped(i), 0);
  return { flippedBatch: batch / probe.labels.length, flippedBPlus: bPlus.length ? plus / bPlus.length : 0 };
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
  const now = hooks.now ?? (() => performance.now());
  // A damaged cache entry or loader bug must not train silently on labels outside the classes.
  checkDataset(inputs.dataset);
  const rng = new Rng(config.seed);
  const data = prepareRunData(inputs.dataset, config, rng);
  const stepsPerEpoch = batchCount(data.train.count, config.batchSize);
  if (stepsPerEpoch < 1) {
    throw new Error(`the training set has ${data.train.count} images, fewer than one batch of ${config.batchSize}`);
  }

  const raisedWarnings: RunWarning[] = [];
  const record: RunRecord = {
    format: RUN_FORMAT,
    id: inputs.id,
    name: inputs.name,
    createdAt: inputs.createdAt ?? new Date().toISOString(),
    status: 'running',
    error: null,
    config: { ...config, dataset: { ...config.dataset, trainSize: data.train.count, testSize: data.test.count } },
    environment: inputs.environment,
    epochs: [],
    summary: summarize([], 0),
    warnings: raisedWarnings,
    ...(inputs.group ? { group: inputs.group } : {}),
  };

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
  };
  const totalSteps = stepsPerEpoch * config.epochs;
  const readbackEvery = Math.max(1, inputs.readbackEvery ?? 10);
  const runStart = now();
  let pausedMs = 0;
  let stepsDone = 0;
  const lossHistory: EpochLosses[] = [];
  const raised = new Set<InstabilityReason>();

  const checkpoint = async (): Promise<'continue' | 'stop'> => {
    if (!hooks.checkpoint) return 'continue';
    const t = now();
    const decision = await hooks.checkpoint();
    pausedMs += now() - t;
    return decision;
  };

  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = streams.order.permutation(data.train.count);
      const epochLr = learningRateAt(config.schedule, config.lr, stepsDone, totalSteps);
      const pausedAtStart = pausedMs;
      const epochStart = now();
      let lossSum = 0;
      let correct = 0;
      let minStepLoss = Infinity;
      let divergedAt = Number.NaN;
      // Per-step loss sums and correct counts, read back together every `readbackEvery` steps.
      let pendingLoss: tf.Scalar[] = [];
      let pendingCorrect: tf.Scalar[] = [];
      let outcome: 'continue' | 'stop' | 'diverged' = 'continue';

      const readBack = async (step: number): Promise<boolean> => {
        const packed = tf.stack([...pendingLoss, ...pendingCorrect]);
        tf.dispose([...pendingLoss, ...pendingCorrect]);
        pendingLoss = [];
        pendingCorrect = [];
        const values = await packed.data();
        packed.dispose();
        const half = values.length / 2;
        const losses: number[] = [];
        for (let i = 0; i < half; i++) {
          lossSum += values[i];
          correct += values[half + i];
          losses.push(values[i] / config.batchSize);
        }
        const elapsed = now() - runStart - pausedMs;
        hooks.onProgress?.({
          epoch,
          step,
          steps: stepsPerEpoch,
          recentLosses: losses,
          etaSeconds: stepsDone > 0 ? ((elapsed / stepsDone) * (totalSteps - stepsDone)) / 1000 : null,
        });
        for (const loss of losses) minStepLoss = Math.min(minStepLoss, loss);
        const bad = losses.find(isDivergedLoss);
        if (bad === undefined) return true;
        divergedAt = bad;
        return false;
      };

      for (let s = 0; s < stepsPerEpoch; s++) {
        if ((await checkpoint()) === 'stop') {
          outcome = 'stop';
          break;
        }
        const indices = order.subarray(s * config.batchSize, (s + 1) * config.batchSize);
        const { x, y } = batchTensors(data.train, indices, { ...batchOpts, augment: config.dataset.augment, rng: streams.augment });
        const mask = drawSwpMask(model.params.length, rule.kind === 'sharpness' ? rule.beta : 1, streams.swp);
        const lr = learningRateAt(config.schedule, config.lr, stepsDone, totalSteps);
        const out = optimizer.step(x, y, { lr, swpMask: mask });
        pendingLoss.push(tf.tidy(() => tf.sum(out.lossBefore)));
        pendingCorrect.push(tf.tidy(() => tf.cast(out.correct, 'float32')));
        disposeStepOutput(out);
        tf.dispose([x, y]);
        stepsDone++;
        if (pendingLoss.length >= readbackEvery || s === stepsPerEpoch - 1) {
          if (!(await readBack(s + 1))) {
            outcome = 'diverged';
            break;
          }
        }
      }
      tf.dispose([...pendingLoss, ...pendingCorrect]);

      if (outcome !== 'continue') {
        record.status = outcome === 'stop' ? 'stopped' : 'diverged';
        if (outcome === 'diverged') record.error = divergedError(epoch, divergedAt);
        break;
      }
      const seconds = (now() - epochStart - (pausedMs - pausedAtStart)) / 1000;
      const test = await evaluate(model, data.test, config.batchSize, batchOpts);
      const gamma = rule.kind === 'sharpness' && rule.gamma < SDS_FULL_BATCH_THRESHOLD ? rule.gamma : 0.5;
      const k = probeSelectedCount(gamma, config.batchSize);
      const { bPlus, ...diagnostics } = await measureDiagnostics(model, probe.x, probe.y, {
        rho: config.optimizer.rho,
        gamma,
        randomSubset: streams.diagnostics.permutation(config.batchSize).slice(0, k),
        ...(config.linearity ? { linearity: runPerturbationOf(rule, model.params.length, streams.linearity) } : {}),
      });
      const images = stepsPerEpoch * config.batchSize;
      const epochRecord: EpochRecord = {
        epoch,
        seconds,
        imagesPerSec: images / seconds,
        lr: epochLr,
        trainLoss: lossSum / images,
        trainAcc: correct / images,
        testLoss: test.loss,
        testAcc: test.accuracy,
        ...diagnostics,
        ...flippedShares(probeBatch, bPlus),
      };
      // The weights can blow up in the epoch's last step, after the last loss read back.
      const finite =
        EPOCH_KEYS.every((key) => Number.isFinite(epochRecord[key])) &&
        OPTIONAL_EPOCH_KEYS.every((key) => epochRecord[key] === undefined || Number.isFinite(epochRecord[key]));
      if (!finite || isDivergedLoss(epochRecord.testLoss)) {
        record.status = 'diverged';
        record.error = divergedError(epoch, finite ? epochRecord.testLoss : Number.NaN);
        break;
      }
      record.epochs.push(epochRecord);
      record.summary = summarize(record.epochs, images);
      lossHistory.push({ epoch, trainLoss: epochRecord.trainLoss, minStepLoss });
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
    tf.dispose([probe.x, probe.y]);
    optimizer.dispose();
    model.dispose();
  }
  return record;
}

function divergedError(epoch: number, loss: number): string {
  const what = Number.isFinite(loss) ? `absurdly large (${loss.toPrecision(2)} nats)` : 'NaN or infinite';
  return `the loss became ${what} in epoch ${epoch}; try a lower learning rate or ρ`;
}

/** The perturbation ζ is measured along: a fresh SWP mask with the run's β (every tensor for SAM and SGD). */
function runPerturbationOf(rule: StepRule, params: number, rng: Rng): RunPerturbation {
  if (rule.kind === 'sgd') return { beta: 1, adaptive: false, swpMask: drawSwpMask(params, 1, rng) };
  return { beta: rule.beta, adaptive: rule.adaptive, swpMask: drawSwpMask(params, rule.beta, rng) };
}

/** One batch of `split` as tensors (normalised, optionally augmented), as every training step gets it. */
export function batchTensors(split: ImageSplit, indices: ArrayLike<number>, opts: Parameters<typeof makeBatch>[2]): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const batch = makeBatch(split, indices, opts);
  return { x: tf.tensor4d(batch.x, batch.shape), y: tf.tensor1d(batch.y, 'int32') };
}

/** Loss and accuracy over every test image, BatchNorm in evaluation mode; one readback. */
async function evaluate(
  model: Model,
  split: ImageSplit,
  batchSize: number,
  opts: Parameters<typeof makeBatch>[2],
): Promise<{ loss: number; accuracy: number }> {
  if (split.count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  const sums: tf.Tensor[] = [];
  for (const range of evalBatches(split.count, batchSize)) {
    const indices = Array.from({ length: range.end - range.start }, (_, i) => range.start + i);
    const { x, y } = batchTensors(split, indices, opts);
    sums.push(evalSums(model, x, y));
    tf.dispose([x, y]);
  }
  const total = tf.tidy(() => tf.sum(tf.stack(sums), 0));
  const [loss, correct] = await total.data();
  tf.dispose([total, ...sums]);
  return { loss: loss / split.count, accuracy: correct / split.count };
}
