import * as tf from '@tensorflow/tfjs';
import type { BatchOptions } from '../../data/pipeline';
import type { ImageDataset, ImageSplit } from '../../data/types';
import { createModel, isModelName, type Model } from '../models';
import { Rng } from '../random';
import type { RunConfig } from '../run-record';
import { batchTensors, prepareRunData } from '../runner';
import { loadWeights, type ModelWeights } from '../weights';
import { adversarialDirections, randomDirections, type Direction } from './directions';
import { evaluateGrid, gridCoordinates, type GridHooks } from './grid';
import { disposeProbeSet, makeProbeSet, measureProbe, type ProbeSet } from './probe';
import { validateLandscapeOptions, type LandscapeOptions, type LandscapeRecord } from './record';

/**
 * Probe images per forward pass, at least: every grid point re-measures the whole probe set, and
 * in evaluation mode the batch size does not change the values, so fewer, larger batches are
 * simply faster (the training batch size can be as small as 2).
 */
const PROBE_BATCH = 256;

export interface LandscapeInputs {
  config: RunConfig;
  /** The raw dataset, before the run's subset and label noise. */
  dataset: ImageDataset;
  weights: ModelWeights;
  options: LandscapeOptions;
}

export type LandscapeResult = Omit<LandscapeRecord, 'format' | 'id' | 'runId' | 'runName' | 'createdAt' | 'seconds'>;

/**
 * The loss landscape of a run's stored weights on its own data (subset, label noise and
 * normalisation rebuilt from the run's seed), BatchNorm in evaluation mode. Null when a
 * checkpoint stopped it.
 */
export async function computeLandscape(inputs: LandscapeInputs, hooks: GridHooks = {}): Promise<LandscapeResult | null> {
  const { config, options } = inputs;
  const problems = validateLandscapeOptions(options);
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (!isModelName(config.model)) throw new Error(`unknown model ${config.model}`);

  const data = prepareRunData(inputs.dataset, config, new Rng(config.seed));
  const batchOpts = { mean: data.mean, std: data.std, height: data.height, width: data.width };
  const seeded = new Rng(options.seed);
  const split = options.probe === 'test' ? data.test : data.train;
  const probeCount = Math.min(options.probeSize, split.count);
  if (probeCount < 1) throw new Error(`the run's ${options.probe} split has no images to measure the landscape on`);
  const probeIndices =
    options.probe === 'test'
      ? Int32Array.from({ length: probeCount }, (_, i) => i)
      : seeded.fork('probe').permutation(split.count).subarray(0, probeCount);

  let model: Model | null = null;
  let probe: ProbeSet | null = null;
  let directions: [Direction, Direction] | null = null;
  try {
    model = createModel(config.model, [data.height, data.width, data.channels], data.classNames.length, new Rng(config.seed).fork('init'));
    loadWeights(model, inputs.weights);
    probe = makeProbeSet(split, probeIndices, Math.max(config.batchSize, PROBE_BATCH), batchOpts);
    directions = makeDirections(
      model,
      options.kind,
      { split: data.train, batchSize: config.batchSize, lr: config.lr, opts: batchOpts },
      seeded,
    );

    const m = model;
    const p = probe;
    const measure = () => measureProbe(m, p);
    const origin = await measure();
    const coords = gridCoordinates(options.resolution, options.span);
    const grid = await evaluateGrid(
      model.params.map((v) => v.variable),
      directions,
      coords,
      measure,
      hooks,
    );
    if (!grid) return null;
    return { options: { ...options }, probeCount, coords, loss: grid.loss, accuracy: grid.accuracy, originLoss: origin.loss };
  } finally {
    if (directions) tf.dispose([...directions[0], ...directions[1]]);
    if (probe) disposeProbeSet(probe);
    model?.dispose();
  }
}

/** Adversarial directions come from one seeded batch of the run's training images. */
function makeDirections(
  model: Model,
  kind: LandscapeOptions['kind'],
  train: { split: ImageSplit; batchSize: number; lr: number; opts: BatchOptions },
  seeded: Rng,
): [Direction, Direction] {
  if (kind === 'random') return randomDirections(model, seeded.fork('directions'));
  const size = Math.min(train.batchSize, train.split.count);
  const indices = seeded.fork('adversarial-batch').permutation(train.split.count).subarray(0, size);
  const { x, y } = batchTensors(train.split, indices, { ...train.opts, augment: false });
  try {
    return adversarialDirections(model, x, y, seeded.fork('directions'), train.lr);
  } finally {
    tf.dispose([x, y]);
  }
}
