import * as tf from '@tensorflow/tfjs';
import { evalBatches } from '../../data/pipeline';
import type { ImageSplit } from '../../data/types';
import { evalSums } from '../loss';
import type { Model } from '../models';
import { batchTensors, type BatchOptions } from './data';

/** Loss and accuracy over every test image, BatchNorm in evaluation mode; one readback. */
export async function evaluate(
  model: Model,
  split: ImageSplit,
  batchSize: number,
  opts: BatchOptions,
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
