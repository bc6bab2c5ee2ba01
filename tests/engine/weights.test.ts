import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/random';
import { loadWeights, readWeights, type ModelWeights } from '../../src/engine/weights';
import { useBackend } from '../support/backend';
import { randomBatch, readParams, readState, tinyModel } from './helpers';

/** Moves the BatchNorm running statistics away from their initial 0 / 1. */
function recordStatistics(model: ReturnType<typeof tinyModel>, seed: number): void {
  const { x, y } = randomBatch(new Rng(seed), 8, model.inputShape, model.numClasses);
  tf.tidy(() => model.apply(x, 'train-record'));
  tf.dispose([x, y]);
}

async function logits(model: ReturnType<typeof tinyModel>, x: tf.Tensor, mode: 'eval' | 'train'): Promise<Float32Array> {
  const out = tf.tidy(() => model.apply(x, mode));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

describe('model weights', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('round-trips params and BatchNorm state into a model initialised differently', async () => {
    const source = tinyModel('resnet8', 1);
    recordStatistics(source, 2);
    const weights = await readWeights(source);
    expect(weights.model).toBe('resnet8');
    expect(weights.state.length).toBeGreaterThan(0);
    expect(weights.params.map((t) => t.name)).toEqual(source.params.map((p) => p.name));

    const target = tinyModel('resnet8', 99);
    const { x, y } = randomBatch(new Rng(3), 4, source.inputShape, source.numClasses);
    expect(Array.from(await logits(target, x, 'eval'))).not.toEqual(Array.from(await logits(source, x, 'eval')));
    const before = tf.memory().numTensors;
    loadWeights(target, weights);
    expect(tf.memory().numTensors).toBe(before);

    expect(await readParams(target)).toEqual(await readParams(source));
    expect(await readState(target)).toEqual(await readState(source));
    expect(await logits(target, x, 'eval')).toEqual(await logits(source, x, 'eval'));
    tf.dispose([x, y]);
    source.dispose();
    target.dispose();
  });

  it('reads copies that later training does not change', async () => {
    const model = tinyModel('conv', 4);
    const weights = await readWeights(model);
    const first = weights.params[0].data.slice();
    model.params[0].variable.assign(tf.zerosLike(model.params[0].variable));
    expect(weights.params[0].data).toEqual(first);
    model.dispose();
  });

  describe('refuses weights that do not fit, assigning nothing', () => {
    const cases: [string, (w: ModelWeights) => void, RegExp][] = [
      [
        'a wrong shape',
        (w) => {
          w.params[0] = { ...w.params[0], shape: [3, 3, 3, 8], data: new Float32Array(3 * 3 * 3 * 8) };
        },
        /stored weights do not fit the model: conv0\/kernel has shape \[3,3,3,8\], the model expects \[3,3,3,4\]/,
      ],
      [
        'a wrong shape in the last param',
        (w) => (w.params[3] = { ...w.params[3], shape: [1, 5] }),
        /dense0\/bias has shape \[1,5\], the model expects \[5\]/,
      ],
      ['a missing tensor', (w) => void w.params.splice(1, 1), /conv0\/bias is missing/],
      ['a missing state tensor', (w) => void w.state.splice(0, 1), /bn0\/runningMean is missing/],
      [
        'a wrong data length',
        (w) => (w.params[2] = { ...w.params[2], data: w.params[2].data.subarray(1) }),
        /dense0\/kernel has 19 values, its shape \[4,5\] needs 20/,
      ],
    ];
    it.each(cases)('%s', async (_what, spoil, message) => {
      const kind = _what.includes('state') ? 'resnet8' : 'conv';
      const source = tinyModel(kind, 5);
      const target = tinyModel(kind, 6);
      const weights = await readWeights(source);
      spoil(weights);
      const params = await readParams(target);
      const state = await readState(target);
      const before = tf.memory().numTensors;
      expect(() => loadWeights(target, weights)).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
      expect(await readParams(target)).toEqual(params);
      expect(await readState(target)).toEqual(state);
      source.dispose();
      target.dispose();
    });
  });
});
