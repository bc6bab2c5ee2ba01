import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { applyConv, applyDense, disposeAll, globalAveragePool, ModelBuilder } from './builder';
import type { Model } from './model';

/** Three conv 3×3 → ReLU → max-pool 2×2 blocks (width, 2·width, 4·width), global average pool, dense. */
export function createCnn(inputShape: number[], classes: number, width: number, rng: Rng): Model {
  const b = new ModelBuilder(rng);
  const widths = [width, 2 * width, 4 * width];
  const convs = widths.map((w, i) => b.conv(`conv${i}`, 3, i === 0 ? inputShape[2] : widths[i - 1], w));
  const dense0 = b.dense('dense0', widths[2], classes);
  return {
    name: 'cnn',
    inputShape,
    numClasses: classes,
    params: b.params,
    state: b.state,
    apply(x) {
      let h = x as tf.Tensor4D;
      for (const conv of convs) h = tf.maxPool(tf.relu(applyConv(h, conv)), 2, 2, 'valid');
      return applyDense(globalAveragePool(h), dense0);
    },
    dispose: () => disposeAll([...b.params, ...b.state]),
  };
}
