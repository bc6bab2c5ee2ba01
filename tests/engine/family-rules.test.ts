import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StepRule } from '../../src/engine/optimizer/config';
import { STEP_PHASES } from '../../src/engine/optimizer/phases';
import { aeSamC } from '../../src/engine/optimizer/rules/aesam';
import { gsamRho } from '../../src/engine/optimizer/rules/gsam';
import { rstProbability } from '../../src/engine/optimizer/rules/rst';
import { isNormParam } from '../../src/engine/optimizer/rules/samon';
import { disposeStepOutput, SharpnessAwareOptimizer, type StepOptions } from '../../src/engine/optimizer/step';
import { Rng } from '../../src/engine/random';
import { requestedBackend, useBackend } from '../support/backend';
import { FAMILY_RULES, rstDraw } from './family-rules.helpers';
import { randomBatch, readParams, tinyModel } from './helpers';

const HYPER = { momentum: 0.9, weightDecay: 5e-4 };
const SAM: StepRule = { kind: 'sharpness', rho: 0.05, adaptive: false, beta: 1, gamma: 1 };

/** Trains a fresh cnn-bn for `steps` steps on fixed batches; the step flags and the final weights. */
async function train(rule: StepRule, steps: number, options: (s: number) => Partial<StepOptions> = () => ({})) {
  const model = tinyModel('cnn-bn', 7);
  const optimizer = new SharpnessAwareOptimizer(model, rule, HYPER);
  const rng = new Rng(11);
  const flags: boolean[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const { x, y } = randomBatch(rng, 8, model.inputShape, model.numClasses);
      const out = await optimizer.stepAsync(x, y, { lr: 0.05, ...options(s) });
      flags.push(out.sharpnessAware);
      disposeStepOutput(out);
      tf.dispose([x, y]);
    }
    return { flags, params: await readParams(model) };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

function maxRelDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((t, i) => {
    let diff = 0;
    let norm = 0;
    t.forEach((v, j) => {
      diff += (v - b[i][j]) ** 2;
      norm += b[i][j] ** 2;
    });
    worst = Math.max(worst, Math.sqrt(diff / Math.max(norm, 1e-30)));
  });
  return worst;
}

describe('the family’s step rules', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('report per step whether they took the sharpness-aware path', async () => {
    expect((await train({ kind: 'sgd' }, 2)).flags).toEqual([false, false]);
    expect((await train(SAM, 2)).flags).toEqual([true, true]);
    expect((await train({ kind: 'looksam', rho: 0.05, adaptive: false, k: 2, alpha: 0.7 }, 5)).flags).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    const draws = [false, true, true, false];
    expect((await train({ kind: 'rst', rho: 0.05, adaptive: false, p: 0.5 }, 4, (s) => ({ samStep: draws[s] }))).flags).toEqual(draws);
    // Thresholds far below or above any squared gradient norm: every step SAM, or SGD after the warm-up.
    const aesam = { kind: 'aesam', rho: 0.05, adaptive: false, delta: 0.9, totalSteps: 3 } as const;
    expect((await train({ ...aesam, cStart: -1e9, cEnd: -1e9, warmup: 0 }, 3)).flags).toEqual([true, true, true]);
    expect((await train({ ...aesam, cStart: 1e9, cEnd: 1e9, warmup: 1 }, 3)).flags).toEqual([true, false, false]);
  });

  it('reduce to SAM in their degenerate settings, and to SGD when they never perturb', async () => {
    const sam = (await train(SAM, 3)).params;
    const cases: [string, StepRule, ((s: number) => Partial<StepOptions>)?][] = [
      ['looksam k = 1', { kind: 'looksam', rho: 0.05, adaptive: false, k: 1, alpha: 0.7 }],
      ['rst with every draw SAM', { kind: 'rst', rho: 0.05, adaptive: false, p: 1 }, () => ({ samStep: true })],
      ['gsam α = 0, constant ρ', { kind: 'gsam', rho: 0.05, adaptive: false, alpha: 0, rhoMin: 0.01, lrMax: 0.05, lrMin: 0.05 }],
      ['ksam k = batch', { kind: 'ksam', rho: 0.05, adaptive: false, k: 8 }],
      ['m = batch', { ...SAM, m: 8 }],
    ];
    for (const [label, rule, options] of cases) expect(maxRelDiff((await train(rule, 3, options)).params, sam), label).toBeLessThan(1e-5);
    const sgd = (await train({ kind: 'sgd' }, 3)).params;
    const rst = await train({ kind: 'rst', rho: 0.05, adaptive: false, p: 0 }, 3, () => ({ samStep: false }));
    expect(maxRelDiff(rst.params, sgd)).toBeLessThan(1e-6);
    // And they do differ from SAM when they should.
    expect(maxRelDiff((await train({ ...SAM, m: 2 }, 3)).params, sam)).toBeGreaterThan(1e-4);
    expect(maxRelDiff((await train({ kind: 'samon', rho: 0.05, adaptive: false }, 3)).params, sam)).toBeGreaterThan(1e-4);
  });

  it('time only phases they announce, with the SAM path’s phase names', async () => {
    for (const modelName of ['cnn-bn'] as const) {
      for (const { label, rule } of FAMILY_RULES) {
        const model = tinyModel(modelName, 2);
        const optimizer = new SharpnessAwareOptimizer(model, rule, HYPER);
        const rng = new Rng(5);
        const { x, y } = randomBatch(rng, 8, model.inputShape, model.numClasses);
        for (let s = 0; s < 3; s++) {
          const { output, times } = await optimizer.timedStep(x, y, { lr: 0.05, samStep: rstDraw(s) }, () => performance.now());
          const phases = Object.keys(times);
          for (const phase of phases) expect(optimizer.phases, `${label} step ${s}`).toContain(phase);
          for (const phase of optimizer.phases) expect(STEP_PHASES).toContain(phase);
          expect(phases, `${label} step ${s}`).toContain('descentForwardBackward');
          expect(phases, `${label} step ${s}`).toContain('update');
          if (output.sharpnessAware) expect(phases, `${label} step ${s}`).toContain('ascentForwardBackward');
          else expect(phases, `${label} step ${s}`).not.toContain('ascentForwardBackward');
          disposeStepOutput(output);
        }
        tf.dispose([x, y]);
        optimizer.dispose();
        model.dispose();
      }
    }
  });

  it('step, stepAsync and timedStep compute the same step, AE-SAM’s host read included', async () => {
    const rule: StepRule = { kind: 'aesam', rho: 0.05, adaptive: false, delta: 0.9, cStart: -1, cEnd: 1, totalSteps: 4, warmup: 1 };
    const run = async (drive: 'sync' | 'async' | 'timed') => {
      const model = tinyModel('mlp', 4);
      const optimizer = new SharpnessAwareOptimizer(model, rule, HYPER);
      const rng = new Rng(9);
      const flags: boolean[] = [];
      for (let s = 0; s < 4; s++) {
        const { x, y } = randomBatch(rng, 8, model.inputShape, model.numClasses);
        const options = { lr: 0.05 };
        const out =
          drive === 'timed'
            ? (await optimizer.timedStep(x, y, options, () => performance.now())).output
            : drive === 'async'
              ? await optimizer.stepAsync(x, y, options)
              : optimizer.step(x, y, options);
        flags.push(out.sharpnessAware);
        disposeStepOutput(out);
        tf.dispose([x, y]);
      }
      const params = await readParams(model);
      optimizer.dispose();
      model.dispose();
      return { flags, params };
    };
    const reference = await run('async');
    expect(reference.flags[0]).toBe(true);
    for (const drive of requestedBackend() === 'webgpu' ? (['timed'] as const) : (['sync', 'timed'] as const)) {
      const other = await run(drive);
      expect(other.flags, drive).toEqual(reference.flags);
      expect(maxRelDiff(other.params, reference.params), drive).toBe(0);
    }
  });

  it('refuse what they cannot do, with a message', () => {
    const mlp = tinyModel('mlp', 1);
    const rng = new Rng(1);
    const { x, y } = randomBatch(rng, 6, mlp.inputShape, mlp.numClasses);
    const attempt =
      (rule: StepRule, options: Partial<StepOptions> = {}) =>
      () => {
        const optimizer = new SharpnessAwareOptimizer(mlp, rule, HYPER);
        try {
          disposeStepOutput(optimizer.step(x, y, { lr: 0.05, ...options }));
        } finally {
          optimizer.dispose();
        }
      };
    const before = tf.memory().numTensors;
    expect(attempt({ kind: 'rst', rho: 0.05, adaptive: false, p: 0.5 })).toThrow(/RST needs each step’s draw/);
    expect(attempt({ kind: 'samon', rho: 0.05, adaptive: false })).toThrow(/SAM-ON needs a model with normalization parameters/);
    expect(attempt({ kind: 'ksam', rho: 0.05, adaptive: false, k: 7 })).toThrow(/K-SAM k = 7 for a batch of 6/);
    expect(attempt({ ...SAM, m: 4 })).toThrow(/batch of 6 is not a whole number of micro-batches of m = 4/);
    expect(attempt({ kind: 'looksam', rho: 0.05, adaptive: false, k: 0, alpha: 1 })).toThrow(/LookSAM needs k ≥ 1/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    mlp.dispose();
  });

  it('follow the reference’s schedules and parameter sets', () => {
    expect(rstProbability({ p: 0.3 }, 50)).toBe(0.3);
    expect(rstProbability({ p: 0.8, pEnd: 0.2, totalSteps: 4 }, 2)).toBeCloseTo(0.5, 12);
    expect(rstProbability({ p: 0.8, pEnd: 0.2, totalSteps: 4 }, 9)).toBeCloseTo(0.2, 12);
    expect(aeSamC({ cStart: -1, cEnd: 1, totalSteps: 4 }, 1)).toBeCloseTo(-0.5, 12);
    expect(aeSamC({ cStart: -1, cEnd: 1, totalSteps: 4 }, 8)).toBe(1);
    expect(gsamRho({ rho: 0.5, rhoMin: 0.1, lrMax: 0.1, lrMin: 0.01 }, 0.04)).toBeCloseTo(0.1 + (0.4 * 0.03) / 0.09, 12);
    expect(gsamRho({ rho: 0.5, rhoMin: 0.1, lrMax: 0.1, lrMin: 0.1 }, 0.04)).toBe(0.5);
    expect(['bn0/gamma', 'bn1/beta', 'stage1/block0/bn2/gamma', 'stage2/block0/shortcutBn/beta'].every(isNormParam)).toBe(true);
    expect(['conv0/kernel', 'dense0/bias', 'bn0/runningMean', 'xbn0/gamma', 'dense0/gamma'].some(isNormParam)).toBe(false);
    // Every BatchNorm of the app's models: one γ and one β per pair of running statistics.
    for (const name of ['cnn-bn', 'resnet8'] as const) {
      const model = tinyModel(name, 1);
      expect(model.params.filter((p) => isNormParam(p.name)).length, name).toBe(model.state.length);
      model.dispose();
    }
  });
});
