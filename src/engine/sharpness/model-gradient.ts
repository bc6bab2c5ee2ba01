import * as tf from '@tensorflow/tfjs';
import { perSampleCrossEntropy } from '../loss';
import type { Model } from '../models';
import type { GradientFn } from './hessian';

/**
 * ∇θ of the mean cross-entropy of the batch (x, y) as a `GradientFn` over `model.params`, in the
 * order of `model.params`. Each call puts the given θ into the model's variables, takes the
 * gradient with BatchNorm on the batch's statistics (`train`: running statistics untouched) and
 * puts the model's own weights back, so the model is unchanged afterwards.
 */
export function meanLossGradient(model: Model, x: tf.Tensor, y: tf.Tensor1D): GradientFn {
  const vars = model.params.map((p) => p.variable);
  return (theta) =>
    tf.tidy(() => {
      const saved = vars.map((v) => v.clone());
      vars.forEach((v, i) => v.assign(theta[i]));
      const { value, grads } = tf.variableGrads(() => tf.mean(perSampleCrossEntropy(model.apply(x, 'train'), y)) as tf.Scalar, vars);
      value.dispose();
      vars.forEach((v, i) => v.assign(saved[i]));
      return vars.map((v) => grads[v.name]);
    });
}
