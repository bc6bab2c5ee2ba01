/**
 * The training steps of a run with nothing around them: the same data order, augmentation, SWP
 * masks, learning rates and optimizer steps as the runner, but no loss readbacks, progress,
 * pause checks, evaluation or diagnostics. The playground's own cost is the gap between this and
 * the training-phase throughput the runner reports (EpochRecord.imagesPerSec).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types';
import { batchCount } from '../data/pipeline';
import { createModel, isModelName } from '../engine/models';
import { stepRuleFor } from '../engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../engine/optimizer/step';
import { drawSwpMask } from '../engine/optimizer/swp';
import { Rng } from '../engine/random';
import type { RunConfig } from '../engine/run-record';
import { batchTensors, prepareRunData } from '../engine/runner';
import { learningRateAt } from '../engine/schedule';

export interface BareLoopResult {
  /** Images per second of each epoch's training steps (one device sync at the end of each epoch). */
  imagesPerSec: number[];
  /** Mean loss of the last step (the runner reports the same number, which shows the steps are the same). */
  lastLoss: number;
}

export async function bareLoopThroughput(dataset: ImageDataset, config: RunConfig, now = () => performance.now()): Promise<BareLoopResult> {
  if (!isModelName(config.model)) throw new Error(`unknown model ${config.model}`);
  // The same stream forks, in the same order, as the runner (so the steps see the same data).
  const rng = new Rng(config.seed);
  const data = prepareRunData(dataset, config, rng);
  const model = createModel(config.model, [data.height, data.width, data.channels], data.classNames.length, rng.fork('init'));
  const rule = stepRuleFor(config.optimizer);
  const optimizer = new SharpnessAwareOptimizer(model, rule, { momentum: config.momentum, weightDecay: config.weightDecay });
  rng.fork('probe');
  const streams = { order: rng.fork('order'), augment: rng.fork('augment'), swp: rng.fork('swp') };
  const batchOpts = {
    mean: data.mean,
    std: data.std,
    height: data.height,
    width: data.width,
    augment: config.dataset.augment,
    rng: streams.augment,
  };
  const stepsPerEpoch = batchCount(data.train.count, config.batchSize);
  const totalSteps = stepsPerEpoch * config.epochs;
  const rates: number[] = [];
  let lastLoss = Number.NaN;
  let stepsDone = 0;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = streams.order.permutation(data.train.count);
      const start = now();
      let last: tf.Scalar | null = null;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const { x, y } = batchTensors(data.train, order.subarray(s * config.batchSize, (s + 1) * config.batchSize), batchOpts);
        const mask = drawSwpMask(model.params.length, rule.kind === 'sharpness' ? rule.beta : 1, streams.swp);
        const out = optimizer.step(x, y, { lr: learningRateAt(config.schedule, config.lr, stepsDone++, totalSteps), swpMask: mask });
        last?.dispose();
        last = tf.tidy(() => tf.sum(out.lossBefore)) as tf.Scalar;
        disposeStepOutput(out);
        tf.dispose([x, y]);
      }
      if (last) lastLoss = (await last.data())[0] / config.batchSize;
      last?.dispose();
      rates.push((stepsPerEpoch * config.batchSize * 1000) / (now() - start));
    }
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return { imagesPerSec: rates, lastLoss };
}
