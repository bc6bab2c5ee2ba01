import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONV_MODELS, filterGradientVia, recordFilterGradientShapes } from '../../src/bench/filter-gradient';
import type { FilterGradientShape } from '../../src/bench/filter-gradient-report';
import { relativeError } from '../../src/engine/golden';
import {
  GPU_FILTER_GRADIENT_BACKENDS,
  GPU_FILTER_GRADIENT_DEFAULT,
  GPU_FILTER_GRADIENT_FLAG,
} from '../../src/engine/kernels/gpu-filter-gradient-routes';
import {
  GPU_FILTER_GRADIENT_KERNELS,
  gpuFilterGradientRoute,
  tfjsFilterGradientKernel,
} from '../../src/engine/kernels/gpu-conv2d-backprop-filter';
import { installTrainingKernels } from '../../src/engine/kernels';
import { useBackend } from '../support/backend';

type Shape4 = [number, number, number, number];

/** A call the models do not make: stride 2 with valid padding, 1×1 at stride 2, C=3 at batch 1, even 2×2 filters on odd sizes. */
function odd(x: Shape4, filter: Shape4, stride: number, pad: 'same' | 'valid'): FilterGradientShape {
  const info = tf.backend_util.computeConv2DInfo(x, filter, stride, 1, pad);
  return {
    x,
    dy: [x[0], info.outHeight, info.outWidth, filter[3]],
    attrs: {
      strides: [stride, stride],
      pad,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
      filterShape: filter,
    } as unknown as tf.Conv2DBackpropFilterAttrs,
    models: {},
  };
}

const ODD: FilterGradientShape[] = [
  odd([2, 9, 7, 4], [3, 3, 4, 6], 2, 'valid'),
  odd([2, 8, 8, 4], [1, 1, 4, 3], 2, 'same'),
  odd([1, 11, 13, 3], [3, 3, 3, 5], 1, 'same'),
  odd([1, 7, 7, 3], [3, 3, 3, 2], 2, 'same'),
  odd([3, 5, 6, 3], [2, 2, 3, 4], 1, 'same'),
  odd([2, 7, 7, 2], [3, 3, 2, 2], 1, 'valid'),
];

/** dW through `route` on shape `i`'s seeded x and dy. */
async function gradientVia(route: 'tfjs' | 'matmul' | 'batched', s: FilterGradientShape, i: number): Promise<number[]> {
  const x = tf.randomNormal(s.x, 0, 1, 'float32', 10 + i);
  const dy = tf.randomNormal(s.dy, 0, 1, 'float32', 20 + i);
  const dw = filterGradientVia(route, x, dy, s.attrs);
  const values = Array.from(await dw.data());
  expect(dw.shape).toEqual(s.attrs.filterShape);
  tf.dispose([x, dy, dw]);
  return values;
}

describe('Conv2DBackpropFilter split over workgroups on WebGPU', () => {
  let modelShapes: FilterGradientShape[] = [];
  beforeAll(async () => {
    // The models' calls are found on the CPU backend (fast); only their shapes matter.
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    modelShapes = recordFilterGradientShapes(CONV_MODELS, 2);
    expect(await useBackend()).toBe('webgpu');
  });

  it('finds the models’ calls: stride 1 and 2, 3×3 and 1×1, C=3 at the input', () => {
    expect(modelShapes.length).toBeGreaterThanOrEqual(8);
    for (const m of CONV_MODELS)
      expect(
        modelShapes.some((s) => s.models[m]),
        m,
      ).toBe(true);
    expect(modelShapes.some((s) => [s.attrs.strides].flat()[0] === 2)).toBe(true);
    expect(modelShapes.some((s) => s.attrs.filterShape[0] === 1)).toBe(true);
    expect(modelShapes.some((s) => s.x[3] === 3)).toBe(true);
  });

  it('is installed with the backend, routed by the flag, the default per backend when auto', () => {
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'webgpu')!.kernelFunc;
    expect(kernel).not.toBe(tfjsFilterGradientKernel('webgpu'));
    expect(tf.env().get(GPU_FILTER_GRADIENT_FLAG)).toBe('auto');
    expect(gpuFilterGradientRoute('webgpu')).toBe(GPU_FILTER_GRADIENT_DEFAULT.webgpu);
    expect(() => tf.env().set(GPU_FILTER_GRADIENT_FLAG, 'fastest')).toThrow(/expected auto or one of/);
    tf.env().set(GPU_FILTER_GRADIENT_FLAG, 'auto');
  });

  it('every kernel the split routes run is registered on webgpu and on webgl, and installing on webgl (once) replaces its kernel', () => {
    for (const backend of GPU_FILTER_GRADIENT_BACKENDS) {
      for (const name of [...GPU_FILTER_GRADIENT_KERNELS, 'Conv2DBackpropFilter'])
        expect(tf.getKernel(name, backend), `${name} on ${backend}`).toBeDefined();
    }
    // WebGL cannot start in Node, but its kernels are registered with tfjs all the same.
    const tfjsWebgl = tf.getKernel('Conv2DBackpropFilter', 'webgl')!.kernelFunc;
    installTrainingKernels('webgl');
    const installed = tf.getKernel('Conv2DBackpropFilter', 'webgl')!.kernelFunc;
    expect(installed).not.toBe(tfjsWebgl);
    expect(tfjsFilterGradientKernel('webgl')).toBe(tfjsWebgl);
    installTrainingKernels('webgl');
    expect(tf.getKernel('Conv2DBackpropFilter', 'webgl')!.kernelFunc).toBe(installed);
  });

  it('the default route repeats bit for bit (the same seed must give the same run)', async () => {
    const route = GPU_FILTER_GRADIENT_DEFAULT.webgpu;
    // The largest reductions (N·H·W) are where a split-K product's atomic adds would reorder sums.
    const largest = [...modelShapes].sort((a, b) => b.dy[0] * b.dy[1] * b.dy[2] - a.dy[0] * a.dy[1] * a.dy[2]).slice(0, 2);
    for (const [i, s] of largest.entries()) expect(await gradientVia(route, s, i)).toEqual(await gradientVia(route, s, i));
  });

  for (const route of ['matmul', 'batched'] as const) {
    it(`${route} equals tfjs’s own kernel on every conv shape of the models and on the odd ones`, async () => {
      const all = [...modelShapes, ...ODD];
      for (const [i, s] of all.entries()) {
        const ours = await gradientVia(route, s, i);
        const theirs = await gradientVia('tfjs', s, i);
        expect(
          relativeError(ours, theirs),
          `${route} on x ${s.x} filter ${s.attrs.filterShape} stride ${s.attrs.strides} ${s.attrs.pad}`,
        ).toBeLessThan(1e-4);
      }
    });
  }

  it('a gradient through tf.grad is the same with the split kernel as with tfjs’s, and leaves no tensor or GPU buffer behind', async () => {
    const grad = async (route: 'tfjs' | 'matmul' | 'batched', s: FilterGradientShape, i: number) => {
      const x = tf.randomNormal(s.x, 0, 1, 'float32', 30 + i) as tf.Tensor4D;
      const w = tf.randomNormal(s.attrs.filterShape, 0, 1, 'float32', 40 + i) as tf.Tensor4D;
      const r = tf.randomNormal(s.dy, 0, 1, 'float32', 50 + i);
      const stride = s.attrs.strides as number | [number, number];
      const pad = s.attrs.pad as 'same' | 'valid';
      tf.env().set(GPU_FILTER_GRADIENT_FLAG, route);
      try {
        const dw = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, v as tf.Tensor4D, stride, pad), r)))(w);
        const values = Array.from(await dw.data());
        tf.dispose([x, w, r, dw]);
        return values;
      } finally {
        tf.env().set(GPU_FILTER_GRADIENT_FLAG, 'auto');
      }
    };
    const cases = [modelShapes[0], modelShapes[modelShapes.length - 1], ODD[0], ODD[2]];
    const reference = [];
    for (const [i, s] of cases.entries()) reference.push(await grad('tfjs', s, i));
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (const route of ['matmul', 'batched'] as const) {
      for (const [i, s] of cases.entries())
        expect(relativeError(await grad(route, s, i), reference[i]), `${route} case ${i}`).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(buffers);
  });

  it('matches a direct sum on a 1×3×3×1 image', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tf.zeros([2, 2, 1, 1]) as tf.Tensor4D;
    for (const route of ['matmul', 'batched'] as const) {
      tf.env().set(GPU_FILTER_GRADIENT_FLAG, route);
      // d/dw Σ conv(x, w) with 'valid' padding: each tap sums the 2×2 window it slides over.
      const dw = tf.grad((v: tf.Tensor) => tf.sum(tf.conv2d(x, v as tf.Tensor4D, 1, 'valid')))(w);
      expect(Array.from(await dw.data()), route).toEqual([1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]);
      dw.dispose();
    }
    tf.env().set(GPU_FILTER_GRADIENT_FLAG, 'auto');
    tf.dispose([x, w]);
  });
});
