import * as tf from '@tensorflow/tfjs';

/** A trainable tensor or a piece of model state, with its stable name (`layer/kernel`). */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/**
 * Sum of scalars without `tf.addN`: on WebGPU with default limits addN of 8 or more
 * inputs builds an invalid pipeline and silently returns 0.
 */
export function sumScalars(scalars: tf.Scalar[]): tf.Scalar {
  return tf.tidy(() => (scalars.length === 1 ? scalars[0].clone() : tf.stack(scalars).sum()));
}

/** Sum of squares of every element of every tensor. */
export function squaredNorm(tensors: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => sumScalars(tensors.map((t) => tf.sum(tf.square(t)))));
}
