import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OptimizerConfig, stepRuleFor } from '../../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../../src/engine/optimizer/step';
import { drawSwpMask } from '../../src/engine/optimizer/swp';
import { Rng } from '../../src/engine/random';
import { HyperparameterError, validateTrainingHyper } from '../../src/engine/validation';
import { useBackend } from '../support/backend';
import { randomBatch, readParams, tinyModel } from './helpers';

const SGD_HYPER = { momentum: 0.9, weightDecay: 5e-4 };
const esam = (over: Partial<OptimizerConfig> = {}): OptimizerConfig => ({
  name: 'esam',
  rho: 0.05,
  adaptive: false,
  swp: true,
  beta: 0.6,
  sds: true,
  gamma: 0.5,
  ...over,
});

/** Trains `steps` steps of a fresh cnn from `seed` with `config`; returns the final weights. */
async function train(config: OptimizerConfig, seed: number, steps: number): Promise<Float32Array[]> {
  const rng = new Rng(seed);
  const model = tinyModel('cnn', seed);
  const rule = stepRuleFor(config);
  const optimizer = new SharpnessAwareOptimizer(model, rule, SGD_HYPER);
  const swpRng = rng.fork('swp');
  const dataRng = rng.fork('data');
  for (let s = 0; s < steps; s++) {
    const { x, y } = randomBatch(dataRng, 10, model.inputShape, model.numClasses);
    const beta = rule.kind === 'sharpness' ? rule.beta : 1;
    const out = optimizer.step(x, y, { lr: 0.1, swpMask: drawSwpMask(model.params.length, beta, swpRng) });
    disposeStepOutput(out);
    x.dispose();
    y.dispose();
  }
  const params = await readParams(model);
  optimizer.dispose();
  model.dispose();
  return params;
}

describe('optimizer step', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('SDS selects exactly ⌊γ·b⌋ samples: those whose loss rose most', async () => {
    for (const [gamma, batch] of [
      [0.5, 10],
      [0.3, 10],
      [0.6, 25],
      [0.25, 7],
    ] as const) {
      const model = tinyModel('mlp', 3);
      const optimizer = new SharpnessAwareOptimizer(model, stepRuleFor(esam({ gamma, beta: 1, rho: 0.5 })), SGD_HYPER);
      const { x, y } = randomBatch(new Rng(batch), batch, model.inputShape, model.numClasses);
      const out = optimizer.step(x, y, { lr: 0.1 });
      const selected = Array.from(await out.selected!.data()).sort((a, b) => a - b);
      expect(selected.length).toBe(Math.floor(gamma * batch));
      const before = await out.lossBefore.data();
      const after = await out.lossAfter!.data();
      const rise = Array.from(before, (b, i) => after[i] - b);
      const expected = [...rise.keys()]
        .sort((a, b) => rise[b] - rise[a])
        .slice(0, selected.length)
        .sort((a, b) => a - b);
      expect(selected).toEqual(expected);
      disposeStepOutput(out);
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    }
  });

  it('β = 1 and γ = 1 reproduce SAM exactly', async () => {
    const sam = await train({ ...esam(), name: 'sam' }, 7, 3);
    const esamAsSam = await train(esam({ beta: 1, gamma: 1 }), 7, 3);
    expect(esamAsSam).toEqual(sam);
    const realEsam = await train(esam(), 7, 3);
    expect(realEsam).not.toEqual(sam);
  });

  it('ρ = 0 with SDS off reproduces SGD exactly, whatever the SWP mask', async () => {
    const sgd = await train({ ...esam(), name: 'sgd' }, 11, 3);
    const esamNoRho = await train(esam({ rho: 0, sds: false, beta: 0.5 }), 11, 3);
    expect(esamNoRho).toEqual(sgd);
  });

  it('one seed gives identical weights; another seed differs', async () => {
    const a = await train(esam(), 5, 5);
    const b = await train(esam(), 5, 5);
    const c = await train(esam(), 6, 5);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('draws SWP masks with probability β, never empty', () => {
    const rng = new Rng(1);
    let kept = 0;
    for (let i = 0; i < 2000; i++) {
      const mask = drawSwpMask(10, 0.3, rng);
      expect(mask.includes(true)).toBe(true);
      kept += mask.filter(Boolean).length;
    }
    expect(kept / 20000).toBeGreaterThan(0.27);
    expect(kept / 20000).toBeLessThan(0.33);
    expect(drawSwpMask(4, 1, rng)).toEqual([true, true, true, true]);
    expect(drawSwpMask(6, 0.01, new Rng(2)).filter(Boolean).length).toBe(1);
  });

  it('hands back ε = 0 for tensors that SWP masked out', async () => {
    const model = tinyModel('cnn', 2);
    const optimizer = new SharpnessAwareOptimizer(model, stepRuleFor(esam()), SGD_HYPER);
    const { x, y } = randomBatch(new Rng(2), 8, model.inputShape, model.numClasses);
    const mask = model.params.map((_, i) => i % 2 === 0);
    const out = optimizer.step(x, y, { lr: 0.1, swpMask: mask, keepPerturbation: true });
    for (const [i, p] of model.params.entries()) {
      const norm = (await tf.norm(out.perturbation!.get(p.name)!).data())[0];
      if (mask[i]) expect(norm).toBeGreaterThan(0);
      else expect(norm).toBe(0);
    }
    disposeStepOutput(out);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });
});

describe('hyperparameter ranges', () => {
  const ok = { rho: 0.05, beta: 0.6, gamma: 0.5, lr: 0.1, momentum: 0.9, weightDecay: 5e-4, batchSize: 64 };
  const cases: [string, Partial<typeof ok>][] = [
    ['beta', { beta: 0 }],
    ['beta', { beta: 1.2 }],
    ['beta', { beta: Number.NaN }],
    ['gamma', { gamma: 0 }],
    ['gamma', { gamma: 1.01 }],
    ['gamma', { gamma: 0.01, batchSize: 8 }],
    ['rho', { rho: -0.1 }],
    ['lr', { lr: 0 }],
    ['lr', { lr: -1 }],
    ['batch-size', { batchSize: 1 }],
    ['batch-size', { batchSize: 2.5 }],
    ['momentum', { momentum: 1 }],
    ['weight-decay', { weightDecay: -1 }],
  ];

  it('accepts the defaults and the edges β = γ = 1, ρ = 0', () => {
    expect(() => validateTrainingHyper(ok)).not.toThrow();
    expect(() => validateTrainingHyper({ ...ok, beta: 1, gamma: 1, rho: 0, batchSize: 2 })).not.toThrow();
  });

  for (const [param, change] of cases) {
    it(`refuses ${JSON.stringify(change)} naming ${param}`, () => {
      let error: unknown;
      try {
        validateTrainingHyper({ ...ok, ...change });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(HyperparameterError);
      expect((error as HyperparameterError).param).toBe(param);
      const label = {
        beta: 'β',
        gamma: 'γ',
        rho: 'ρ',
        lr: 'learning rate',
        'batch-size': 'batch size',
        momentum: 'momentum',
        'weight-decay': 'weight decay',
      }[param]!;
      expect((error as Error).message).toContain(label);
    });
  }
});
