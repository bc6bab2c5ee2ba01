import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuConvFilterGradient } from '../../src/engine/kernels/cpu-conv2d-backprop-filter';
import { relativeError } from '../../src/engine/golden';

type Shape4 = [number, number, number, number];
const CASES: [Shape4, Shape4, number, 'same' | 'valid'][] = [
  [[4, 8, 8, 3], [3, 3, 3, 5], 1, 'same'],
  [[3, 9, 7, 4], [3, 3, 4, 6], 2, 'same'],
  [[2, 8, 8, 4], [1, 1, 4, 3], 2, 'same'],
  [[2, 7, 7, 2], [3, 3, 2, 2], 1, 'valid'],
];

async function filterGradients(): Promise<number[][]> {
  const out: number[][] = [];
  for (const [i, [xShape, wShape, stride, pad]] of CASES.entries()) {
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 10 + i) as tf.Tensor4D;
    const w = tf.randomNormal(wShape, 0, 1, 'float32', 20 + i) as tf.Tensor4D;
    const r = tf.randomNormal(tf.conv2d(x, w, stride, pad).shape, 0, 1, 'float32', 30 + i);
    const dw = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, v as tf.Tensor4D, stride, pad), r)))(w);
    out.push(Array.from(await dw.data()));
    tf.dispose([x, w, r, dw]);
  }
  return out;
}

describe('fast CPU Conv2DBackpropFilter', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
  });

  it('agrees with tfjs’s own kernel (strides 1 and 2, same and valid padding, 1×1 and 3×3)', async () => {
    const reference = await filterGradients();
    installFastCpuConvFilterGradient();
    const fast = await filterGradients();
    fast.forEach((g, i) => expect(relativeError(g, reference[i])).toBeLessThan(1e-6));
  });

  it('matches a direct sum on a 1×3×3×1 image', async () => {
    installFastCpuConvFilterGradient();
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tf.zeros([2, 2, 1, 1]) as tf.Tensor4D;
    // d/dw Σ conv(x, w) with 'valid' padding: each tap sums the 2×2 window it slides over.
    const dw = tf.grad((v: tf.Tensor) => tf.sum(tf.conv2d(x, v as tf.Tensor4D, 1, 'valid')))(w);
    expect(Array.from(await dw.data())).toEqual([1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]);
    tf.dispose([x, w, dw]);
  });
});
