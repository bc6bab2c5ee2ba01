import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureDiagnostics } from '../../src/engine/diagnostics';
import { MODEL_NAMES } from '../../src/engine/models';
import { stepRuleFor } from '../../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../../src/engine/optimizer/step';
import { drawSwpMask } from '../../src/engine/optimizer/swp';
import { Rng } from '../../src/engine/random';
import { requestedBackend, useBackend } from '../support/backend';
import { randomBatch, tinyModel } from './helpers';

describe('no tensor leaks', () => {
  beforeAll(async () => {
    await useBackend();
  });

  // Software WebGPU compiles every shader on the CPU: resnet20 alone took 8 minutes there, so the
  // WebGPU run leaves it to the CPU run (the kernels it uses are all covered by resnet8).
  const webgpu = requestedBackend() === 'webgpu';
  const models = webgpu ? MODEL_NAMES.filter((m) => m !== 'resnet20') : MODEL_NAMES;
  for (const modelName of models) {
    // resnet8 there took 100–170 s per case at batch 8 and 20 steps. Two steps at batch 4 still
    // check the count after a step that follows another (every BatchNorm, residual and gradient
    // kernel has run once before) and after the diagnostics pass.
    const short = webgpu && modelName === 'resnet8';
    const steps = short ? 2 : 20;
    const batchSize = short ? 4 : 8;
    for (const optimizerName of ['sgd', 'sam', 'esam'] as const) {
      it(`${optimizerName} on ${modelName}: ${steps} steps and a diagnostics pass leave the tensor count unchanged`, async () => {
        const initial = tf.memory().numTensors;
        const model = tinyModel(modelName, 1);
        const rule = stepRuleFor({ name: optimizerName, rho: 0.05, adaptive: false, swp: true, beta: 0.6, sds: true, gamma: 0.5 });
        const optimizer = new SharpnessAwareOptimizer(model, rule, { momentum: 0.9, weightDecay: 5e-4 });
        const rng = new Rng(2);
        const { x, y } = randomBatch(rng, batchSize, model.inputShape, model.numClasses);
        const start = tf.memory().numTensors;
        for (let s = 0; s < steps; s++) {
          const out = optimizer.step(x, y, { lr: 0.05, swpMask: drawSwpMask(model.params.length, 0.6, rng) });
          await out.lossBefore.data();
          disposeStepOutput(out);
          expect(tf.memory().numTensors).toBe(start);
        }
        await measureDiagnostics(model, x, y, {
          rho: 0.05,
          gamma: 0.5,
          randomSubset: Int32Array.from({ length: batchSize / 2 }, (_, i) => 2 * i),
        });
        expect(tf.memory().numTensors).toBe(start);
        tf.dispose([x, y]);
        optimizer.dispose();
        model.dispose();
        expect(tf.memory().numTensors).toBe(initial);
      });
    }
  }
});
