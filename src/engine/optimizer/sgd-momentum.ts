import * as tf from '@tensorflow/tfjs';
import type { SgdHyper } from './config';

/**
 * PyTorch's SGD: d = g + wd·θ; buf = momentum·buf + d (the buffer starts at zero); θ ← θ − lr·buf.
 * The base optimizer a sharpness-aware step wraps.
 */
export class SgdMomentum {
  private readonly buffers: tf.Variable[];

  constructor(
    private readonly params: readonly tf.Variable[],
    private readonly hyper: SgdHyper,
  ) {
    this.buffers = params.map((p) => {
      const zeros = tf.zerosLike(p);
      const buffer = tf.variable(zeros, false);
      zeros.dispose();
      return buffer;
    });
  }

  /** One update with `grads` in the order of the parameters; the caller keeps the gradients. */
  update(grads: readonly tf.Tensor[], lr: number): void {
    if (grads.length !== this.params.length) throw new Error(`${grads.length} gradients for ${this.params.length} parameters`);
    const { momentum, weightDecay } = this.hyper;
    tf.tidy(() => {
      this.params.forEach((theta, i) => {
        const d = weightDecay !== 0 ? tf.add(grads[i], tf.mul(theta, weightDecay)) : grads[i];
        const buf = this.buffers[i];
        buf.assign(momentum !== 0 ? tf.add(tf.mul(buf, momentum), d) : d);
        theta.assign(tf.sub(theta, tf.mul(buf, lr)));
      });
    });
  }

  dispose(): void {
    this.buffers.forEach((b) => b.dispose());
  }
}
