/**
 * The two WASM Conv2DBackpropFilter formulations (src/engine/kernels/wasm-conv2d-backprop-filter.ts)
 * timed on every conv shape the models train with at batch 32, and their error against tfjs's CPU
 * kernel. Prints a markdown table; the README's WASM section quotes it.
 *
 *   npx tsx scripts/bench-wasm-filter-gradient.ts [--batch 32] [--reps 5]
 */
import * as tf from '@tensorflow/tfjs';
import { relativeError } from '../src/engine/golden';
import {
  installWasmConvFilterGradient,
  wasmFilterGradientKernel,
  type WasmFilterGradientRoute,
} from '../src/engine/kernels/wasm-conv2d-backprop-filter';
import { createModel, type ModelName } from '../src/engine/models';
import { stepRuleFor } from '../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../src/engine/optimizer/step';
import { Rng } from '../src/engine/random';
import { useNodeBackend } from './tfjs-node';

const MODELS: ModelName[] = ['cnn', 'conv', 'resnet8', 'resnet20'];
const ROUTES: WasmFilterGradientRoute[] = ['im2col', 'conv3d'];

interface Shape {
  x: number[];
  dy: number[];
  attrs: tf.Conv2DBackpropFilterAttrs;
  models: Set<ModelName>;
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Every distinct filter-gradient call of one SGD step of each model, recorded on the way through. */
function recordShapes(batch: number): Shape[] {
  const shapes = new Map<string, Shape>();
  let current: ModelName = 'cnn';
  const inner = wasmFilterGradientKernel('im2col');
  tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const key = JSON.stringify([x.shape, dy.shape, attrs.filterShape, attrs.strides, attrs.pad]);
      const shape = shapes.get(key) ?? { x: [...x.shape], dy: [...dy.shape], attrs: { ...attrs }, models: new Set() };
      shape.models.add(current);
      shapes.set(key, shape);
      return inner(args);
    },
  });
  for (const name of MODELS) {
    current = name;
    const rng = new Rng(1);
    const model = createModel(name, [32, 32, 3], 10, rng.fork('init'));
    const optimizer = new SharpnessAwareOptimizer(
      model,
      stepRuleFor({ name: 'sgd', rho: 0, adaptive: false, swp: false, beta: 1, sds: false, gamma: 1 }),
      { momentum: 0.9, weightDecay: 5e-4 },
    );
    const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 10),
      'int32',
    );
    disposeStepOutput(optimizer.step(x, y, { lr: 0.01 }));
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
  return [...shapes.values()];
}

function timeRoute(route: WasmFilterGradientRoute, s: Shape, reps: number): { ms: number; values: Float32Array } {
  installWasmConvFilterGradient(route);
  const x = tf.randomNormal(s.x, 0, 1, 'float32', 2);
  const dy = tf.randomNormal(s.dy, 0, 1, 'float32', 3);
  const once = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, s.attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const first = once();
  const values = first.dataSync() as Float32Array;
  first.dispose();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    const out = once();
    out.dataSync();
    times.push(performance.now() - start);
    out.dispose();
  }
  tf.dispose([x, dy]);
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1], values };
}

async function cpuReference(s: Shape): Promise<Float32Array> {
  await tf.setBackend('cpu'); // tfjs's own kernel: useNodeBackend('cpu') would install the fast one
  const x = tf.randomNormal(s.x, 0, 1, 'float32', 2);
  const dy = tf.randomNormal(s.dy, 0, 1, 'float32', 3);
  const out = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, s.attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  tf.dispose([x, dy, out]);
  await tf.setBackend('wasm');
  return values;
}

const batch = flag('--batch', 32);
const reps = flag('--reps', 5);
await useNodeBackend('wasm');
const shapes = recordShapes(batch);
const lines = [
  `Conv2DBackpropFilter on tfjs-backend-wasm ${tf.version.tfjs}, batch ${batch}, median of ${reps} (\`npx tsx scripts/bench-wasm-filter-gradient.ts\`):`,
  '',
  '| x | filter | stride | models | im2col ms | conv3d ms | conv3d ÷ im2col | im2col error | conv3d error |',
  '|---|---|---:|---|---:|---:|---:|---:|---:|',
];
const totals = { im2col: 0, conv3d: 0 };
for (const s of shapes) {
  const reference = await cpuReference(s);
  const r = Object.fromEntries(ROUTES.map((route) => [route, timeRoute(route, s, reps)])) as Record<
    WasmFilterGradientRoute,
    { ms: number; values: Float32Array }
  >;
  totals.im2col += r.im2col.ms;
  totals.conv3d += r.conv3d.ms;
  const err = (v: Float32Array) => relativeError(Array.from(v), Array.from(reference)).toExponential(1);
  lines.push(
    `| ${s.x.join('×')} | ${s.attrs.filterShape.join('×')} | ${String(s.attrs.strides)} | ${[...s.models].join(', ')} | ${r.im2col.ms.toFixed(2)} | ${r.conv3d.ms.toFixed(2)} | ${(r.conv3d.ms / r.im2col.ms).toFixed(2)} | ${err(r.im2col.values)} | ${err(r.conv3d.values)} |`,
  );
}
lines.push(
  `| all ${shapes.length} shapes | | | | ${totals.im2col.toFixed(1)} | ${totals.conv3d.toFixed(1)} | ${(totals.conv3d / totals.im2col).toFixed(2)} | | |`,
);
installWasmConvFilterGradient();
process.stdout.write(lines.join('\n') + '\n');
