import * as tf from '@tensorflow/tfjs';
import { perSampleCrossEntropy } from '../loss';
import type { Model } from '../models';
import type { Rng } from '../random';

/** One tensor per model param, same shapes and order. */
export type Direction = tf.Tensor[];

const EPSILON = 1e-10;

/**
 * Filter normalisation (Li et al. 2018): each filter of `direction` — for a param of rank ≥ 2,
 * a slice along its last axis (an output channel of a conv kernel, an output unit of a dense
 * kernel) — is rescaled to the norm of the same filter of the param. Params of rank < 2
 * (biases, BatchNorm γ/β) get a zero direction ("ignore biasbn"). Returns new tensors.
 */
export function filterNormalize(direction: Direction, params: readonly tf.Tensor[]): Direction {
  if (direction.length !== params.length) throw new Error(`a direction has ${direction.length} tensors, the model ${params.length} params`);
  return tf.tidy(() =>
    direction.map((d, k) => {
      const p = params[k];
      if (p.rank < 2) return tf.zerosLike(p);
      const filters = p.shape[p.rank - 1];
      const filterNorms = (t: tf.Tensor) => tf.norm(tf.reshape(t, [-1, filters]), 'euclidean', 0);
      return tf.mul(d, tf.div(filterNorms(p), tf.add(filterNorms(d), EPSILON)));
    }),
  );
}

function paramTensors(model: Model): tf.Variable[] {
  return model.params.map((p) => p.variable);
}

function gaussianDirection(vars: tf.Variable[], rng: Rng): Direction {
  return vars.map((v) => {
    const values = new Float32Array(v.size);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal();
    return tf.tensor(values, v.shape, 'float32');
  });
}

function normalizedOwned(raw: Direction, vars: tf.Variable[]): Direction {
  try {
    return filterNormalize(raw, vars);
  } finally {
    tf.dispose(raw);
  }
}

/** Two independent filter-normalised standard-normal directions, reproducible for the rng's seed. */
export function randomDirections(model: Model, rng: Rng): [Direction, Direction] {
  const vars = paramTensors(model);
  const d1 = normalizedOwned(gaussianDirection(vars, rng.fork('d1')), vars);
  const d2 = normalizedOwned(gaussianDirection(vars, rng.fork('d2')), vars);
  return [d1, d2];
}

/**
 * The paper's Fig. 8 directions (appendix A.5): the batch is split into two random halves B_x and
 * B_y, and the directions are η·∇L_{B_x}(θ) and η·∇L_{B_y}(θ), η the run's learning rate, over
 * every parameter ('train' forward, which leaves the running statistics alone). Unlike the random
 * ones they are not filter-normalised: a unit step is one SGD step on that half.
 */
export function adversarialDirections(model: Model, x: tf.Tensor, y: tf.Tensor1D, rng: Rng, lr: number): [Direction, Direction] {
  const n = y.shape[0];
  if (n < 2) throw new Error(`adversarial directions need a batch of at least 2 images, got ${n}`);
  const vars = paramTensors(model);
  const order = rng.permutation(n);
  const half = Math.floor(n / 2);
  const stepOf = (indices: Int32Array): Direction =>
    tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      const xs = tf.gather(x, idx);
      const ys = tf.gather(y, idx);
      const { value, grads } = tf.variableGrads(() => tf.mean(perSampleCrossEntropy(model.apply(xs, 'train'), ys)) as tf.Scalar, vars);
      value.dispose();
      return vars.map((v) => tf.mul(grads[v.name] ?? tf.zerosLike(v), lr));
    });
  const d1 = stepOf(order.slice(0, half));
  try {
    return [d1, stepOf(order.slice(half))];
  } catch (e) {
    tf.dispose(d1);
    throw e;
  }
}
