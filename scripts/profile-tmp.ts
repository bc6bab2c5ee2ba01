import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../tests/support/backend';
import { createModel } from '../src/engine/models';
import { SharpnessAwareOptimizer, disposeStepOutput } from '../src/engine/optimizer/step';
import { stepRuleFor } from '../src/engine/optimizer/config';
import { benchOptimizer } from '../src/bench/configs';
import { Rng } from '../src/engine/random';
const [model, batch, cfg] = [process.argv[2] ?? 'cnn', Number(process.argv[3] ?? 32), process.argv[4] ?? 'sam'];
await useBackend();
for (const kv of (process.env.FLAGS ?? '').split(',').filter(Boolean)) { const [k, v] = kv.split('='); tf.env().set(k, v === 'true' ? true : v === 'false' ? false : Number(v)); }
const m = createModel(model as any, [32, 32, 3], 10, new Rng(1));
const opt = new SharpnessAwareOptimizer(m, stepRuleFor(benchOptimizer(cfg as any)), { momentum: 0.9, weightDecay: 5e-4 });
const x = tf.randomNormal([batch, 32, 32, 3]); const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
const step = async () => { const o = opt.step(x, y, { lr: 0.01 }); await o.lossBefore.data(); await o.lossAfter?.data(); disposeStepOutput(o); };
let t = performance.now(); await step(); console.log('warm', (performance.now() - t).toFixed(0));
t = performance.now(); await step(); console.log('step', (performance.now() - t).toFixed(0));
const prof = await tf.profile(step);
const agg = new Map<string, [number, number]>();
let total = 0;
for (const k of prof.kernels) { const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : NaN; const a = agg.get(k.name) ?? [0, 0]; a[0] += ms; a[1]++; agg.set(k.name, a); total += ms; }
console.log('kernels', prof.kernels.length, 'total ms', total.toFixed(0), typeof prof.kernels[0].kernelTimeMs);
for (const [n, [ms, c]] of [...agg].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15)) console.log(n.padEnd(28), String(c).padStart(4), ms.toFixed(1));
for (const k of prof.kernels) if (['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Add', 'Mean', 'MaxPoolGrad'].includes(k.name) && (k.kernelTimeMs as number) > 20) console.log(k.name, JSON.stringify(k.inputShapes), JSON.stringify(k.outputShapes), (k.kernelTimeMs as number).toFixed(1));
