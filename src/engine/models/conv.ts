import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { applyConv, applyDense, disposeAll, globalAveragePool, ModelBuilder } from './builder';
import type { Model } from './model';

/** The golden vectors' tiny model: conv 3×3 `same` with bias → ReLU → spatial mean → dense. */
export function createTinyConv(inputShape: number[], filters: number, classes: number, rng: Rng): Model {
  const channels = inputShape[2];
  const b = new ModelBuilder(rng);
  const conv0 = b.conv('conv0', 3, channels, filters);
  const dense0 = b.dense('dense0', filters, classes);
  return {
    name: 'conv',
    inputShape,
    numClasses: classes,
    params: b.params,
    state: b.state,
    apply(x) {
      const h = tf.relu(applyConv(x as tf.Tensor4D, conv0));
      return applyDense(globalAveragePool(h), dense0);
    },
    dispose: () => disposeAll([...b.params, ...b.state]),
  };
}
