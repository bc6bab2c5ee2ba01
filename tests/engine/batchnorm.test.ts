import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepRuleFor } from '../../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../../src/engine/optimizer/step';
import { Rng } from '../../src/engine/random';
import { useBackend } from '../support/backend';
import { randomBatch, readState, tinyModel } from './helpers';

const optimizerConfig = (name: 'sgd' | 'sam' | 'esam') =>
  ({ name, rho: 0.5, adaptive: false, swp: true, beta: 0.5, sds: true, gamma: 0.5 }) as const;

describe('BatchNorm running statistics', () => {
  beforeAll(async () => {
    await useBackend();
  });

  for (const [modelName, name] of (['resnet8', 'cnn-bn'] as const).flatMap((m) =>
    (['sgd', 'sam', 'esam'] as const).map((o) => [m, o] as const),
  )) {
    it(`a ${name} step on ${modelName} updates them from its first forward pass only`, async () => {
      // Reference: one recording forward at θ on the same batch, on an identical model.
      const reference = tinyModel(modelName, 4);
      const { x, y } = randomBatch(new Rng(9), 8, reference.inputShape, reference.numClasses);
      tf.tidy(() => reference.apply(x, 'train-record'));
      const expected = await readState(reference);

      const model = tinyModel(modelName, 4);
      const before = await readState(model);
      const optimizer = new SharpnessAwareOptimizer(model, stepRuleFor(optimizerConfig(name)), { momentum: 0.9, weightDecay: 0 });
      disposeStepOutput(optimizer.step(x, y, { lr: 0.1 }));
      const after = await readState(model);

      expect(model.state.length).toBeGreaterThan(0);
      expect(after).toEqual(expected);
      expect(after).not.toEqual(before);
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
      reference.dispose();
    });
  }

  it.each(['resnet8', 'cnn-bn'] as const)(
    '%s: train mode uses batch statistics and leaves the running ones; eval uses the running ones',
    async (modelName) => {
      const model = tinyModel(modelName, 5);
      const { x } = randomBatch(new Rng(3), 8, model.inputShape, model.numClasses);
      const initial = await readState(model);
      const train1 = tf.tidy(() => model.apply(x, 'train'));
      const eval1 = tf.tidy(() => model.apply(x, 'eval'));
      expect(await readState(model)).toEqual(initial);

      // Changing the running statistics changes eval outputs but not train outputs.
      model.state.forEach((s) => tf.tidy(() => s.variable.assign(tf.add(s.variable, 0.5))));
      const train2 = tf.tidy(() => model.apply(x, 'train'));
      const eval2 = tf.tidy(() => model.apply(x, 'eval'));
      expect(await train2.data()).toEqual(await train1.data());
      expect(await eval2.data()).not.toEqual(await eval1.data());
      tf.dispose([x, train1, eval1, train2, eval2]);
      model.dispose();
    },
  );
});
