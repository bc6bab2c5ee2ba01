import * as tf from '@tensorflow/tfjs';
import type { Model } from '../models';
import type { StepRule } from '../optimizer/config';
import type { PhaseCostKey } from '../optimizer/phases';
import { disposeStepOutput, type SharpnessAwareOptimizer } from '../optimizer/step';
import { drawSwpMask } from '../optimizer/swp';
import type { Rng } from '../random';
import type { RunConfig } from '../run-record';
import { learningRateAt } from '../schedule';
import { isDivergedLoss } from '../stability';
import type { RunClock } from './clock';
import { CostMeter, sampledSteps } from './cost-meter';
import { batchTensors, type BatchOptions, type RunData } from './data';

/** Where the run stands, as the epoch loop reads and advances it. */
export interface TrainingState {
  /** Steps done since the run started. */
  stepsDone: number;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  readonly runStart: number;
}

export interface EpochInputs {
  epoch: number;
  config: RunConfig;
  data: RunData;
  model: Model;
  rule: StepRule;
  optimizer: SharpnessAwareOptimizer;
  batchOpts: BatchOptions;
  streams: { order: Rng; augment: Rng; swp: Rng };
  clock: RunClock;
  state: TrainingState;
  /** Steps between readbacks of the step losses. */
  readbackEvery: number;
  /** Steps of the epoch the cost meter times (none: 0). */
  costSamples: number;
  onProgress?(progress: { epoch: number; step: number; steps: number; recentLosses: number[]; etaSeconds: number | null }): void;
}

/** How an epoch's steps went. */
export type EpochOutcome =
  | { kind: 'stop' }
  | { kind: 'diverged'; loss: number }
  | {
      kind: 'trained';
      /** Training time of the steps, pauses left out. */
      seconds: number;
      lr: number;
      lossSum: number;
      correct: number;
      minStepLoss: number;
      /** Mean time per step of each phase on the timed steps; empty without the meter. */
      cost: Partial<Record<PhaseCostKey, number>>;
    };

/**
 * One epoch of training steps in a seeded order: the step losses and correct counts read back
 * together every `readbackEvery` steps (and at the end), the checkpoint awaited before each step,
 * a few steps timed by phase.
 */
export async function trainEpoch(inputs: EpochInputs): Promise<EpochOutcome> {
  const { epoch, config, data, model, rule, optimizer, batchOpts, streams, clock, state } = inputs;
  const steps = state.stepsPerEpoch;
  const order = streams.order.permutation(data.train.count);
  const epochLr = learningRateAt(config.schedule, config.lr, state.stepsDone, state.totalSteps);
  const pausedAtStart = clock.pausedMs;
  const epochStart = clock.now();
  const timed = sampledSteps(steps, inputs.costSamples);
  const meter = new CostMeter(optimizer.phases);
  let lossSum = 0;
  let correct = 0;
  let minStepLoss = Infinity;
  let divergedAt = Number.NaN;
  let pendingLoss: tf.Scalar[] = [];
  let pendingCorrect: tf.Scalar[] = [];

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
    const elapsed = clock.now() - state.runStart - clock.pausedMs;
    inputs.onProgress?.({
      epoch,
      step,
      steps,
      recentLosses: losses,
      etaSeconds: state.stepsDone > 0 ? ((elapsed / state.stepsDone) * (state.totalSteps - state.stepsDone)) / 1000 : null,
    });
    for (const loss of losses) minStepLoss = Math.min(minStepLoss, loss);
    const bad = losses.find(isDivergedLoss);
    if (bad === undefined) return true;
    divergedAt = bad;
    return false;
  };

  try {
    for (let s = 0; s < steps; s++) {
      if ((await clock.checkpoint()) === 'stop') return { kind: 'stop' };
      const indices = order.subarray(s * config.batchSize, (s + 1) * config.batchSize);
      const { x, y } = batchTensors(data.train, indices, { ...batchOpts, augment: config.dataset.augment, rng: streams.augment });
      const mask = drawSwpMask(model.params.length, rule.kind === 'sharpness' ? rule.beta : 1, streams.swp);
      const options = { lr: learningRateAt(config.schedule, config.lr, state.stepsDone, state.totalSteps), swpMask: mask };
      let out;
      try {
        if (timed.has(s)) {
          const { output, times } = await optimizer.timedStep(x, y, options, clock.now);
          meter.add(times);
          out = output;
        } else {
          out = optimizer.step(x, y, options);
        }
      } finally {
        tf.dispose([x, y]);
      }
      pendingLoss.push(tf.tidy(() => tf.sum(out.lossBefore)));
      pendingCorrect.push(tf.tidy(() => tf.cast(out.correct, 'float32')));
      disposeStepOutput(out);
      state.stepsDone++;
      if (pendingLoss.length >= inputs.readbackEvery || s === steps - 1) {
        if (!(await readBack(s + 1))) return { kind: 'diverged', loss: divergedAt };
      }
    }
  } finally {
    tf.dispose([...pendingLoss, ...pendingCorrect]);
  }
  const seconds = (clock.now() - epochStart - (clock.pausedMs - pausedAtStart)) / 1000;
  return { kind: 'trained', seconds, lr: epochLr, lossSum, correct, minStepLoss, cost: meter.means() };
}
