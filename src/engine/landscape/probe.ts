import * as tf from '@tensorflow/tfjs';
import { evalBatches, type BatchOptions } from '../../data/pipeline';
import type { ImageSplit } from '../../data/types';
import { evalSums } from '../loss';
import type { Model } from '../models';
import { batchTensors } from '../runner';

/** The images a landscape is measured on, kept on the device as normalised batches. */
export interface ProbeSet {
  batches: { x: tf.Tensor4D; y: tf.Tensor1D }[];
  count: number;
}

/** The images `indices` of `split`, in batches of `batchSize` (the last may be smaller), not augmented. */
export function makeProbeSet(split: ImageSplit, indices: ArrayLike<number>, batchSize: number, opts: BatchOptions): ProbeSet {
  const batches: ProbeSet['batches'] = [];
  try {
    for (const { start, end } of evalBatches(indices.length, batchSize)) {
      batches.push(
        batchTensors(
          split,
          Array.from({ length: end - start }, (_, i) => indices[start + i]),
          { ...opts, augment: false },
        ),
      );
    }
  } catch (e) {
    disposeProbeSet({ batches, count: 0 });
    throw e;
  }
  return { batches, count: indices.length };
}

export function disposeProbeSet(probe: ProbeSet): void {
  for (const b of probe.batches) tf.dispose([b.x, b.y]);
}

/**
 * Mean cross-entropy and accuracy over the probe set, BatchNorm in evaluation mode, with one
 * readback; reduced as the runner's test evaluation is, so that the values agree with it.
 */
export async function measureProbe(model: Model, probe: ProbeSet): Promise<{ loss: number; accuracy: number }> {
  const sums = probe.batches.map(({ x, y }) => evalSums(model, x, y));
  const total = tf.tidy(() => tf.sum(tf.stack(sums), 0));
  tf.dispose(sums);
  try {
    const [loss, correct] = await total.data();
    return { loss: loss / probe.count, accuracy: correct / probe.count };
  } finally {
    total.dispose();
  }
}
