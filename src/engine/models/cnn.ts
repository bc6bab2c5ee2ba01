import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { applyBatchNorm, applyConv, applyDense, type BatchNorm, disposeAll, globalAveragePool, ModelBuilder } from './builder';
import type { Model } from './model';

/**
 * Three conv 3×3 blocks (width, 2·width, 4·width), each followed by a 2×2 max-pool, then a global
 * average pool and a dense layer. `cnn-bn` puts BatchNorm between each conv and its ReLU (the conv
 * then has no bias, as BatchNorm's β takes its place); `cnn` is conv with bias → ReLU.
 */
export function createCnn(inputShape: number[], classes: number, width: number, rng: Rng, batchNorm = false): Model {
  const b = new ModelBuilder(rng);
  const widths = [width, 2 * width, 4 * width];
  const blocks = widths.map((w, i) => ({
    conv: b.conv(`conv${i}`, 3, i === 0 ? inputShape[2] : widths[i - 1], w, { bias: !batchNorm }),
    bn: batchNorm ? b.batchNorm(`bn${i}`, w) : null,
  }));
  const dense0 = b.dense('dense0', widths[2], classes);
  const norm = (h: tf.Tensor4D, bn: BatchNorm | null, mode: Parameters<Model['apply']>[1]) => (bn ? applyBatchNorm(h, bn, mode) : h);
  return {
    name: batchNorm ? 'cnn-bn' : 'cnn',
    inputShape,
    numClasses: classes,
    params: b.params,
    state: b.state,
    apply(x, mode) {
      let h = x as tf.Tensor4D;
      for (const { conv, bn } of blocks) h = tf.maxPool(tf.relu(norm(applyConv(h, conv), bn, mode)), 2, 2, 'valid');
      return applyDense(globalAveragePool(h), dense0);
    },
    dispose: () => disposeAll([...b.params, ...b.state]),
  };
}
