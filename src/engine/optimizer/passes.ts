import * as tf from '@tensorflow/tfjs';
import { correctCount, perSampleCrossEntropy } from '../loss';
import type { ForwardMode, Model } from '../models';

/** The first pass of a step at θ: per-sample losses and correct count, and gradients of the mean loss. */
export interface FirstPass {
  losses: tf.Tensor1D;
  correct: tf.Scalar;
  /** By variable name, for the variables asked for. */
  grads: tf.NamedTensorMap;
}

/**
 * The first forward pass (the only one that updates BatchNorm's running statistics, unless `mode`
 * is 'train' because an earlier pass of the step did): per-sample losses and correct count at θ,
 * kept past the tape, and the mean loss's gradients for `vars`.
 */
export function firstPass(
  model: Model,
  x: tf.Tensor,
  y: tf.Tensor1D,
  vars: readonly tf.Variable[],
  mode: Extract<ForwardMode, 'train' | 'train-record'> = 'train-record',
): FirstPass {
  let losses: tf.Tensor1D | undefined;
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(x, mode);
    losses = tf.keep(perSampleCrossEntropy(logits, y));
    correct = tf.keep(correctCount(logits, y));
    return tf.mean(losses) as tf.Scalar;
  }, [...vars]);
  value.dispose();
  return { losses: losses!, correct: correct!, grads };
}

/**
 * SDS's ranking: a gradient-free forward at the current (perturbed) weights on the whole batch,
 * BatchNorm's running statistics untouched; B+ = the `k` samples whose loss rose most from
 * `lossBefore`, chosen outside any tape.
 */
export function rankBySharpness(
  model: Model,
  x: tf.Tensor,
  y: tf.Tensor1D,
  lossBefore: tf.Tensor1D,
  k: number,
): { lossAfter: tf.Tensor1D; selected: tf.Tensor1D } {
  const lossAfter = tf.tidy(() => perSampleCrossEntropy(model.apply(x, 'train'), y));
  const selected = tf.tidy(() => tf.topk(tf.sub(lossAfter, lossBefore), k).indices as tf.Tensor1D);
  return { lossAfter, selected };
}

/**
 * Gradients of the mean loss of the batch (or of its rows `selected`) at the current weights, in
 * the order of `params`; BatchNorm's running statistics untouched. Without `selected` it also
 * hands back the per-sample losses of its forward, which are ℓ at these weights on the batch.
 */
export function descentPass(
  model: Model,
  x: tf.Tensor,
  y: tf.Tensor1D,
  params: readonly tf.Variable[],
  selected: tf.Tensor1D | null,
): { grads: tf.Tensor[]; losses: tf.Tensor1D | null } {
  let losses: tf.Tensor1D | null = null;
  const grads = tf.tidy(() => {
    const xs = selected ? tf.gather(x, selected) : x;
    const ys = selected ? tf.gather(y, selected) : y;
    const { value, grads } = tf.variableGrads(() => {
      const perSample = perSampleCrossEntropy(model.apply(xs, 'train'), ys);
      if (!selected) losses = tf.keep(perSample);
      return tf.mean(perSample) as tf.Scalar;
    }, [...params]);
    value.dispose();
    return params.map((v) => grads[v.name]);
  });
  return { grads, losses };
}

export function disposeGrads(grads: tf.NamedTensorMap): void {
  for (const g of Object.values(grads)) g?.dispose();
}
