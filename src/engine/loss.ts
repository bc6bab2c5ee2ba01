import * as tf from '@tensorflow/tfjs';
import type { Model } from './models';

/** Cross-entropy of each sample: −log softmax(logits)[label]. */
export function perSampleCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(logProbs, oneHot), 1)) as tf.Tensor1D;
  });
}

/** Number of samples whose arg-max logit equals the label, as an int32 scalar. */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')));
}

/** [summed cross-entropy, correct count] of one batch, BatchNorm in evaluation mode. */
export function evalSums(model: Model, x: tf.Tensor, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logits = model.apply(x, 'eval');
    return tf.stack([tf.sum(perSampleCrossEntropy(logits, y)), tf.cast(correctCount(logits, y), 'float32')]) as tf.Tensor1D;
  });
}
