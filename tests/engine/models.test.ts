import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../support/backend';
import { randomBatch, tinyModel } from './helpers';
import { Rng } from '../../src/engine/random';

describe('cnn and cnn-bn', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('cnn-bn puts BatchNorm after each bias-free conv; cnn has biases and no state', () => {
    const bn = tinyModel('cnn-bn', 1);
    const plain = tinyModel('cnn', 1);
    expect(bn.params.map((p) => p.name)).toEqual([
      'conv0/kernel',
      'bn0/gamma',
      'bn0/beta',
      'conv1/kernel',
      'bn1/gamma',
      'bn1/beta',
      'conv2/kernel',
      'bn2/gamma',
      'bn2/beta',
      'dense0/kernel',
      'dense0/bias',
    ]);
    expect(bn.state.map((p) => p.name)).toEqual(['bn0', 'bn1', 'bn2'].flatMap((b) => [`${b}/runningMean`, `${b}/runningVar`]));
    expect(plain.params.map((p) => p.name)).toEqual(['conv0', 'conv1', 'conv2', 'dense0'].flatMap((l) => [`${l}/kernel`, `${l}/bias`]));
    expect(plain.state).toEqual([]);
    expect(bn.name).toBe('cnn-bn');
    bn.dispose();
    plain.dispose();
  });

  it('cnn-bn in train mode normalises each conv output over the batch', async () => {
    // The first conv has no bias, so it is linear in x; BatchNorm on batch statistics then
    // removes a positive scale of the whole batch (up to its ε). Eval mode, on the running
    // statistics, does not.
    const model = tinyModel('cnn-bn', 2);
    const { x } = randomBatch(new Rng(4), 6, model.inputShape, model.numClasses);
    const a = tf.tidy(() => model.apply(x, 'train'));
    const b = tf.tidy(() => model.apply(tf.mul(x, 3), 'train'));
    const [da, db] = [await a.data(), await b.data()];
    for (let i = 0; i < da.length; i++) expect(db[i]).toBeCloseTo(da[i], 3);
    const c = tf.tidy(() => model.apply(tf.mul(x, 3), 'eval'));
    const dc = await c.data();
    expect(Array.from(dc).some((v, i) => Math.abs(v - da[i]) > 1e-3)).toBe(true);
    tf.dispose([x, a, b, c]);
    model.dispose();
  });
});
