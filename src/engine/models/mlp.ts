import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { applyDense, disposeAll, ModelBuilder } from './builder';
import type { Model } from './model';

/** Dense layers `dense0..` with ReLU between them; `dims` = [inputs, hidden..., classes]. */
export function createMlp(dims: number[], rng: Rng, inputShape: number[] = [dims[0]]): Model {
  if (dims.length < 2) throw new Error('mlp needs at least [inputs, classes] dims');
  const b = new ModelBuilder(rng);
  const layers = dims.slice(1).map((out, i) => b.dense(`dense${i}`, dims[i], out));
  return {
    name: 'mlp',
    inputShape,
    numClasses: dims[dims.length - 1],
    params: b.params,
    state: b.state,
    apply(x) {
      let h = tf.reshape(x, [x.shape[0], dims[0]]) as tf.Tensor2D;
      layers.forEach((layer, i) => {
        h = applyDense(h, layer);
        if (i < layers.length - 1) h = tf.relu(h);
      });
      return h;
    },
    dispose: () => disposeAll([...b.params, ...b.state]),
  };
}
