import * as tf from '@tensorflow/tfjs';

/**
 * Resolves once the device has finished every operation queued before the call: it reads back one
 * element computed from `witness` on the device (WebGPU and WebGL run their queues in order, so
 * that element is ready only after all earlier work). On the CPU and WASM backends the work is
 * already done and the read costs next to nothing.
 */
export async function deviceSync(witness: tf.Tensor): Promise<void> {
  const probe = tf.tidy(() => tf.sum(tf.slice(tf.reshape(witness, [-1]), [0], [1])));
  try {
    await probe.data();
  } finally {
    probe.dispose();
  }
}
