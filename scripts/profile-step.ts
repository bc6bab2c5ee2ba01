/**
 * Where one training step spends its time, per kernel: `tf.profile` on tfjs's WebGPU backend in
 * Node (Dawn + SwiftShader, as in test:webgpu; GPU timestamp queries give the kernel times).
 *
 *   npm run -s profile:webgpu -- [MODEL] [BATCH] [CONFIG]      e.g. cnn 32 sam
 *
 * CONFIG is one of the benchmark's configurations (sgd, sam, esam-swp, esam-sds, esam).
 * TFJS_FLAGS=NAME=VALUE,... sets tfjs flags first (e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=1, or
 * ESAM_GPU_FILTER_GRADIENT=tfjs for tfjs's own filter gradient; see docs/cli.md).
 */
import * as tf from '@tensorflow/tfjs';
import { BENCH_CONFIG_NAMES, benchOptimizer, type BenchConfigName } from '../src/bench/configs';
import { createModel, isModelName } from '../src/engine/models';
import { stepRuleFor } from '../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../src/engine/optimizer/step';
import { drawSwpMask } from '../src/engine/optimizer/swp';
import { Rng } from '../src/engine/random';
import { useBackend } from '../tests/support/backend';

const [model = 'cnn', batchText = '32', config = 'sam'] = process.argv.slice(2);
const batch = Number(batchText);
if (!isModelName(model) || !Number.isInteger(batch) || batch < 1 || !BENCH_CONFIG_NAMES.includes(config as BenchConfigName)) {
  process.stderr.write(`usage: npm run -s profile:webgpu -- [MODEL] [BATCH] [${BENCH_CONFIG_NAMES.join('|')}]\n`);
  process.exit(2);
}

process.env.TFJS_BACKEND = 'webgpu';
await useBackend();
for (const pair of (process.env.TFJS_FLAGS ?? '').split(',').filter(Boolean)) {
  const [name, value] = pair.split('=');
  const number = Number(value);
  tf.env().set(name, value === 'true' ? true : value === 'false' ? false : Number.isFinite(number) ? number : value);
}

const rng = new Rng(1);
const net = createModel(model, [32, 32, 3], 10, rng.fork('init'));
const rule = stepRuleFor(benchOptimizer(config as BenchConfigName));
const optimizer = new SharpnessAwareOptimizer(net, rule, { momentum: 0.9, weightDecay: 5e-4 });
const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
const y = tf.tensor1d(
  Array.from({ length: batch }, (_, i) => i % 10),
  'int32',
);
const swp = rng.fork('swp');
const step = async () => {
  const out = optimizer.step(x, y, { lr: 0.01, swpMask: drawSwpMask(net.params.length, rule.kind === 'sharpness' ? rule.beta : 1, swp) });
  await out.lossBefore.data();
  disposeStepOutput(out);
};

let t = performance.now();
await step();
console.log(`warm-up step (compiles shaders): ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
await step();
console.log(`one step: ${(performance.now() - t).toFixed(0)} ms`);

const profile = await tf.profile(step);
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of profile.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : Number.NaN;
  entry.calls++;
  byKernel.set(k.name, entry);
}
const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
console.log(`profiled step: ${profile.kernels.length} kernels, ${total.toFixed(0)} ms of kernel time`);
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`${name.padEnd(28)} ${String(e.calls).padStart(4)} calls ${e.ms.toFixed(1).padStart(9)} ms`);
}
tf.dispose([x, y]);
optimizer.dispose();
net.dispose();
