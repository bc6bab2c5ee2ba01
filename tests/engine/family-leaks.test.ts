import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../../src/engine/optimizer/step';
import { drawSwpMask } from '../../src/engine/optimizer/swp';
import { Rng } from '../../src/engine/random';
import { useBackend } from '../support/backend';
import { FAMILY_RULES, rstDraw } from './family-rules.helpers';
import { randomBatch, tinyModel } from './helpers';

describe('the family’s step rules leak no tensor', () => {
  beforeAll(async () => {
    await useBackend();
  });

  // cnn-bn has BatchNorm parameters, which SAM-ON needs; the mlp has none.
  for (const modelName of ['mlp', 'cnn-bn'] as const) {
    for (const { label, rule } of FAMILY_RULES) {
      if (rule.kind === 'samon' && modelName === 'mlp') continue;
      it(`${label} on ${modelName}: 6 steps, timed and untimed, leave the tensor count unchanged, and dispose frees the method's state`, async () => {
        const initial = tf.memory().numTensors;
        const model = tinyModel(modelName, 1);
        const optimizer = new SharpnessAwareOptimizer(model, rule, { momentum: 0.9, weightDecay: 5e-4 });
        const rng = new Rng(3);
        const { x, y } = randomBatch(rng, 8, model.inputShape, model.numClasses);
        const start = tf.memory().numTensors;
        const beta = rule.kind === 'sharpness' ? rule.beta : 1;
        let afterFirst = -1;
        for (let s = 0; s < 6; s++) {
          const options = {
            lr: 0.05,
            swpMask: drawSwpMask(model.params.length, beta, rng),
            samStep: rstDraw(s),
            keepPerturbation: s % 3 === 0,
          };
          const out =
            s % 2 === 1
              ? (await optimizer.timedStep(x, y, options, () => performance.now())).output
              : await optimizer.stepAsync(x, y, options);
          await out.lossBefore.data();
          disposeStepOutput(out);
          // LookSAM keeps its orthogonal component from its first step on: a fixed count, not a growing one.
          if (s === 0) afterFirst = tf.memory().numTensors;
          else expect(tf.memory().numTensors, `step ${s}`).toBe(afterFirst);
        }
        expect(afterFirst - start).toBe(rule.kind === 'looksam' ? model.params.length : 0);
        tf.dispose([x, y]);
        optimizer.dispose();
        model.dispose();
        expect(tf.memory().numTensors).toBe(initial);
      });
    }
  }
});
