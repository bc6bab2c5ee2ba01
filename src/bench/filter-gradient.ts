/**
 * The filter-gradient bench mode: every Conv2DBackpropFilter call the conv models make in one
 * training step, timed through each route of src/engine/kernels/gpu-conv2d-backprop-filter.ts on
 * the current backend (webgpu or webgl), with each route's error against tfjs's own kernel.
 * No DOM or worker API: `npm run bench -- --filter-gradient` runs it in Node (webgpu).
 */
import * as tf from '@tensorflow/tfjs';
import { relativeError } from '../engine/golden';
import {
  GPU_FILTER_GRADIENT_FLAG,
  GPU_FILTER_GRADIENT_ROUTES,
  type GpuFilterGradientBackend,
  type GpuFilterGradientRoute,
} from '../engine/kernels/gpu-filter-gradient-routes';
import { createModel } from '../engine/models';
import type { ModelName } from '../engine/model-names';
import { stepRuleFor } from '../engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../engine/optimizer/step';
import { Rng } from '../engine/random';
import type { FilterGradientBench, FilterGradientShape, FilterGradientTiming } from './filter-gradient-report';

const RECORD_BATCH = 2;

/** The models with convolutions. */
export const CONV_MODELS: readonly ModelName[] = ['conv', 'cnn', 'cnn-bn', 'resnet8', 'resnet20'];

/**
 * Every distinct filter-gradient call of one SGD step of each model on [32, 32, 3] images at
 * `batchSize`, found by wrapping the current backend's kernel for the duration (restored after).
 * The step runs at batch 2 (quick even on tfjs's own CPU kernel); only the calls' leading
 * dimension depends on the batch, and it is set to `batchSize`.
 */
export function recordFilterGradientShapes(models: readonly ModelName[], batchSize: number): FilterGradientShape[] {
  const backendName = tf.getBackend();
  const kernel = tf.getKernel('Conv2DBackpropFilter', backendName);
  if (!kernel) throw new Error(`the ${backendName} backend has no Conv2DBackpropFilter kernel`);
  const shapes = new Map<string, FilterGradientShape>();
  let current: ModelName = models[0];
  tf.unregisterKernel('Conv2DBackpropFilter', backendName);
  tf.registerKernel({
    ...kernel,
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const key = JSON.stringify([x.shape, dy.shape, attrs.filterShape, attrs.strides, attrs.pad]);
      const shape = shapes.get(key) ?? {
        x: [...x.shape] as FilterGradientShape['x'],
        dy: [...dy.shape] as FilterGradientShape['dy'],
        attrs: { ...attrs },
        models: {},
      };
      shape.models[current] = (shape.models[current] ?? 0) + 1;
      shapes.set(key, shape);
      return kernel.kernelFunc(args);
    },
  });
  try {
    for (const name of models) {
      current = name;
      const rng = new Rng(1);
      const model = createModel(name, [32, 32, 3], 10, rng.fork('init'));
      const rule = stepRuleFor({ name: 'sgd', rho: 0, adaptive: false, swp: false, beta: 1, sds: false, gamma: 1 });
      const optimizer = new SharpnessAwareOptimizer(model, rule, { momentum: 0.9, weightDecay: 5e-4 });
      const x = tf.randomNormal([RECORD_BATCH, 32, 32, 3], 0, 1, 'float32', 1);
      const y = tf.tensor1d(
        Array.from({ length: RECORD_BATCH }, (_, i) => i % 10),
        'int32',
      );
      disposeStepOutput(optimizer.step(x, y, { lr: 0.01 }));
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    }
  } finally {
    tf.unregisterKernel('Conv2DBackpropFilter', backendName);
    tf.registerKernel(kernel);
  }
  return [...shapes.values()].map((s) => ({
    ...s,
    x: [batchSize, ...s.x.slice(1)] as FilterGradientShape['x'],
    dy: [batchSize, ...s.dy.slice(1)] as FilterGradientShape['dy'],
  }));
}

/** Runs Conv2DBackpropFilter through the engine with the route flag set to `route` (restored after). */
export function filterGradientVia(
  route: GpuFilterGradientRoute,
  x: tf.Tensor,
  dy: tf.Tensor,
  attrs: tf.Conv2DBackpropFilterAttrs,
): tf.Tensor {
  const before = tf.env().get(GPU_FILTER_GRADIENT_FLAG);
  tf.env().set(GPU_FILTER_GRADIENT_FLAG, route);
  try {
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  } finally {
    tf.env().set(GPU_FILTER_GRADIENT_FLAG, before);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function timeRoute(
  route: GpuFilterGradientRoute,
  x: tf.Tensor,
  dy: tf.Tensor,
  attrs: tf.Conv2DBackpropFilterAttrs,
  reps: number,
): Promise<{ ms: number; values: Float32Array }> {
  const first = filterGradientVia(route, x, dy, attrs); // compiles the shaders
  const values = (await first.data()) as Float32Array;
  first.dispose();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    const out = filterGradientVia(route, x, dy, attrs);
    await out.data();
    times.push(performance.now() - start);
    out.dispose();
  }
  return { ms: median(times), values };
}

/** Times every route on every shape on the current backend (which must be webgpu or webgl). */
export async function benchFilterGradient(
  shapes: readonly FilterGradientShape[],
  options: { batchSize: number; reps: number; onProgress?: (line: string) => void },
): Promise<FilterGradientBench> {
  const backend = tf.getBackend() as GpuFilterGradientBackend;
  const timings: FilterGradientTiming[] = [];
  const totalMs = Object.fromEntries(GPU_FILTER_GRADIENT_ROUTES.map((r) => [r, 0])) as Record<GpuFilterGradientRoute, number>;
  for (const [i, shape] of shapes.entries()) {
    const x = tf.randomNormal(shape.x, 0, 1, 'float32', 2);
    const dy = tf.randomNormal(shape.dy, 0, 1, 'float32', 3);
    const ms = {} as Record<GpuFilterGradientRoute, number>;
    const values = {} as Record<GpuFilterGradientRoute, Float32Array>;
    for (const route of GPU_FILTER_GRADIENT_ROUTES)
      ({ ms: ms[route], values: values[route] } = await timeRoute(route, x, dy, shape.attrs, options.reps));
    tf.dispose([x, dy]);
    const reference = Array.from(values.tfjs);
    const error = Object.fromEntries(GPU_FILTER_GRADIENT_ROUTES.map((r) => [r, relativeError(Array.from(values[r]), reference)])) as Record<
      GpuFilterGradientRoute,
      number
    >;
    const calls = Object.values(shape.models).reduce((a, b) => a + (b ?? 0), 0);
    for (const route of GPU_FILTER_GRADIENT_ROUTES) totalMs[route] += ms[route] * calls;
    timings.push({ shape, ms, error });
    options.onProgress?.(`${i + 1}/${shapes.length} shapes`);
  }
  const fastest = GPU_FILTER_GRADIENT_ROUTES.reduce((best, r) => (totalMs[r] < totalMs[best] ? r : best));
  return { backend, batchSize: options.batchSize, reps: options.reps, timings, totalMs, fastest };
}
