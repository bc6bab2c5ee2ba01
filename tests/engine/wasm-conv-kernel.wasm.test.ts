import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from '../../src/engine/golden';
import { installWasmConvFilterGradient, WASM_FILTER_GRADIENT_ROUTE } from '../../src/engine/kernels/wasm-conv2d-backprop-filter';
import { useBackend } from '../support/backend';

type Shape4 = [number, number, number, number];
type Case = [Shape4, Shape4, number, 'same' | 'valid'];
/** Strides 1 and 2, same and valid padding, 1×1 and 3×3, odd sizes, even 2×2: every kind of shape the models use and more. */
const CASES: Case[] = [
  [[4, 8, 8, 3], [3, 3, 3, 5], 1, 'same'],
  [[3, 9, 7, 4], [3, 3, 4, 6], 2, 'same'],
  [[2, 8, 8, 4], [1, 1, 4, 3], 2, 'same'],
  [[2, 7, 7, 2], [3, 3, 2, 2], 1, 'valid'],
  [[2, 6, 6, 16], [3, 3, 16, 32], 2, 'same'],
  [[2, 5, 6, 3], [2, 2, 3, 4], 1, 'same'],
];

/** dL/dW of L = Σ conv(x, W) ⊙ r for each case, on the current backend; seeded by the case's place in CASES. */
async function filterGradients(cases: readonly Case[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const c of cases) {
    const [xShape, wShape, stride, pad] = c;
    const i = CASES.indexOf(c);
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 10 + i) as tf.Tensor4D;
    const w = tf.randomNormal(wShape, 0, 1, 'float32', 20 + i) as tf.Tensor4D;
    const y = tf.conv2d(x, w, stride, pad);
    const r = tf.randomNormal(y.shape, 0, 1, 'float32', 30 + i);
    const dw = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, v as tf.Tensor4D, stride, pad), r)))(w);
    out.push(Array.from(await dw.data()));
    tf.dispose([x, w, y, r, dw]);
  }
  return out;
}

describe('Conv2DBackpropFilter on the WASM backend', () => {
  let reference: number[][] = [];
  beforeAll(async () => {
    // tfjs's own CPU kernel is the reference; the inputs are seeded, so both backends see the same.
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    reference = await filterGradients(CASES);
    expect(await useBackend()).toBe('wasm');
  });

  it('is installed with the backend and agrees with tfjs’s CPU kernel on every case', async () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const got = await filterGradients(CASES);
    got.forEach((g, i) => expect(relativeError(g, reference[i]), `case ${i}`).toBeLessThan(1e-5));
  });

  it('leaves no tensor and no WASM buffer behind', async () => {
    const backend = tf.backend();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    await filterGradients(CASES);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });

  it('the 3-D route agrees at stride 1 (the only stride at which tfjs 4.22’s WASM Conv3DBackpropFilterV2 is right)', async () => {
    const strideOne = CASES.filter(([, , stride]) => stride === 1);
    try {
      installWasmConvFilterGradient('conv3d');
      const got = await filterGradients(strideOne);
      got.forEach((g, i) => expect(relativeError(g, reference[CASES.indexOf(strideOne[i])]), `case ${i}`).toBeLessThan(1e-5));
    } finally {
      installWasmConvFilterGradient(WASM_FILTER_GRADIENT_ROUTE);
    }
  });

  it('matches a direct sum on a 1×3×3×1 image', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tf.zeros([2, 2, 1, 1]) as tf.Tensor4D;
    // d/dw Σ conv(x, w) with 'valid' padding: each tap sums the 2×2 window it slides over.
    const dw = tf.grad((v: tf.Tensor) => tf.sum(tf.conv2d(x, v as tf.Tensor4D, 1, 'valid')))(w);
    expect(Array.from(await dw.data())).toEqual([1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]);
    tf.dispose([x, w, dw]);
  });
});

/** dL/dx of L = Σ conv(x, W) ⊙ r for each case, on the current backend; seeded by the case's place in CASES. */
async function inputGradients(cases: readonly Case[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const c of cases) {
    const [xShape, wShape, stride, pad] = c;
    const i = CASES.indexOf(c);
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 40 + i) as tf.Tensor4D;
    const w = tf.randomNormal(wShape, 0, 1, 'float32', 50 + i) as tf.Tensor4D;
    const y = tf.conv2d(x, w, stride, pad);
    const r = tf.randomNormal(y.shape, 0, 1, 'float32', 60 + i);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(v as tf.Tensor4D, w, stride, pad), r)))(x);
    out.push(Array.from(await dx.data()));
    tf.dispose([x, w, y, r, dx]);
  }
  return out;
}

describe('Conv2DBackpropInput on the WASM backend (a forward convolution at stride 1)', () => {
  let reference: number[][] = [];
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    reference = await inputGradients(CASES);
    expect(await useBackend()).toBe('wasm');
  });

  it('is installed with the backend and agrees with tfjs’s CPU kernel at strides 1 and 2, same and valid padding', async () => {
    expect((tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc as { fast?: boolean }).fast).toBe(true);
    const got = await inputGradients(CASES);
    got.forEach((g, i) => expect(relativeError(g, reference[i]), `case ${i}`).toBeLessThan(1e-5));
  });

  it('leaves no tensor and no WASM buffer behind', async () => {
    const backend = tf.backend();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    await inputGradients(CASES);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });
});
