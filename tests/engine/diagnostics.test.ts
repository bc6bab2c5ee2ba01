import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureDiagnostics, type RunPerturbation } from '../../src/engine/diagnostics';
import { perSampleCrossEntropy } from '../../src/engine/loss';
import { createModel, type Model } from '../../src/engine/models';
import { createMlp } from '../../src/engine/models/mlp';
import { Rng } from '../../src/engine/random';
import { useBackend } from '../support/backend';

/** Softmax regression (one dense layer) by hand, in float64: per-sample losses and gradients. */
function softmaxRegression(W: number[][], b: number[], xs: number[][], ys: number[]) {
  const losses: number[] = [];
  const gW = W.map((row) => row.map(() => 0));
  const gb = b.map(() => 0);
  xs.forEach((x, n) => {
    const z = b.map((bj, j) => bj + x.reduce((s, xi, i) => s + xi * W[i][j], 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((s, v) => s + v, 0);
    const p = e.map((v) => v / sum);
    losses.push(-Math.log(p[ys[n]]));
    p.forEach((pj, j) => {
      const d = (pj - (j === ys[n] ? 1 : 0)) / xs.length;
      gb[j] += d;
      x.forEach((xi, i) => (gW[i][j] += xi * d));
    });
  });
  return { losses, grad: [...gW.flat(), ...gb] };
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const cos = (a: number[], c: number[]) => {
  const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i], 0);
  return dot(a, c) / Math.sqrt(dot(a, a) * dot(c, c));
};

const close = (ours: number | undefined, ref: number) => {
  expect(ours).toBeTypeOf('number');
  expect(Math.abs(ours! - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
};

/** A softmax regression on 8 samples with random weights, and the probe batch as tensors. */
function softmaxCase() {
  const rng = new Rng(4);
  const [inputs, classes, n] = [3, 4, 8];
  const model = createMlp([inputs, classes], rng);
  const W = Array.from({ length: inputs }, () => Array.from({ length: classes }, () => rng.normal()));
  const b = Array.from({ length: classes }, () => rng.normal() * 0.1);
  model.params[0].variable.assign(tf.tensor2d(W));
  model.params[1].variable.assign(tf.tensor1d(b));
  const xs = Array.from({ length: n }, () => Array.from({ length: inputs }, () => rng.normal()));
  const ys = Array.from({ length: n }, () => rng.int(classes));
  return { model, W, b, xs, ys, inputs, classes, x: tf.tensor2d(xs), y: tf.tensor1d(ys, 'int32') };
}

/** Every weight and BatchNorm statistic of a model, as plain numbers. */
async function snapshot(model: ReturnType<typeof createModel>): Promise<number[][]> {
  return Promise.all([...model.params, ...model.state].map(async (p) => Array.from(await p.variable.data())));
}

/**
 * ζ(ε, S) = |L_S(θ+ε) − L_S(θ) − εᵀ∇L_S(θ)| by hand for softmax regression, ε = perturb(∇L_B(θ)),
 * with ∇L_S(θ) the gradient of the mean over S; `order` ranks samples by their loss rise under
 * SAM's ε (B+ first), as the diagnostics pick B+ and B−.
 */
function handLinearity(
  c: { W: number[][]; b: number[]; xs: number[][]; ys: number[]; inputs: number; classes: number },
  rho: number,
  perturb: (grad: number[]) => number[],
) {
  const shifted = (e: number[]) =>
    softmaxRegression(
      c.W.map((row, i) => row.map((w, j) => w + e[i * c.classes + j])),
      c.b.map((v, j) => v + e[c.inputs * c.classes + j]),
      c.xs,
      c.ys,
    );
  const at0 = softmaxRegression(c.W, c.b, c.xs, c.ys);
  const samNorm = Math.sqrt(at0.grad.reduce((s, g) => s + g * g, 0));
  const rise = shifted(at0.grad.map((g) => (rho * g) / samNorm)).losses.map((l, i) => l - at0.losses[i]);
  const order = [...rise.keys()].sort((p, q) => rise[q] - rise[p]);
  const eps = perturb(at0.grad);
  const at1 = shifted(eps);
  const zeta = (idx: number[]) => {
    const grad = softmaxRegression(
      c.W,
      c.b,
      idx.map((i) => c.xs[i]),
      idx.map((i) => c.ys[i]),
    ).grad;
    const first = grad.reduce((s, g, i) => s + g * eps[i], 0);
    return Math.abs(mean(idx.map((i) => at1.losses[i])) - mean(idx.map((i) => at0.losses[i])) - first);
  };
  return { order, zeta };
}

/** SAM's perturbation (and SGD's, for ζ): every tensor, β = 1. */
const fullPerturbation = (model: Model): RunPerturbation => ({ beta: 1, adaptive: false, swpMask: model.params.map(() => true) });

describe('diagnostics (Fig. 5 and 6) against a direct computation', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('matches a hand-computed softmax regression on 8 samples', async () => {
    const { model, W, b, xs, ys, inputs, classes, x, y } = softmaxCase();
    const randomSubset = Int32Array.from([1, 4, 6]);
    const rho = 0.5;
    const gamma = 0.4; // |B+| = 3

    const d = await measureDiagnostics(model, x, y, { rho, gamma, randomSubset });

    // Direct: ε, losses at θ and θ+ε, B+ by loss rise, gradients at θ+ε.
    const at0 = softmaxRegression(W, b, xs, ys);
    const norm = Math.sqrt(at0.grad.reduce((s, g) => s + g * g, 0));
    const eps = at0.grad.map((g) => (rho * g) / norm);
    const W1 = W.map((row, i) => row.map((w, j) => w + eps[i * classes + j]));
    const b1 = b.map((v, j) => v + eps[inputs * classes + j]);
    const at1 = softmaxRegression(W1, b1, xs, ys);
    const rise = at1.losses.map((l, i) => l - at0.losses[i]);
    const order = [...rise.keys()].sort((p, q) => rise[q] - rise[p]);
    const plus = order.slice(0, 3);
    const minus = order.slice(3);
    const pick = (idx: number[]) =>
      softmaxRegression(
        W1,
        b1,
        idx.map((i) => xs[i]),
        idx.map((i) => ys[i]),
      ).grad;

    expect(d.bPlus).toEqual(plus);
    close(d.lossBPlus, mean(plus.map((i) => at0.losses[i])));
    close(d.lossBMinus, mean(minus.map((i) => at0.losses[i])));
    close(d.lossBPlusPerturbed, mean(plus.map((i) => at1.losses[i])));
    close(d.lossBMinusPerturbed, mean(minus.map((i) => at1.losses[i])));
    close(d.cosBPlus, cos(pick(plus), at1.grad));
    close(d.cosBMinus, cos(pick(minus), at1.grad));
    close(d.cosRandom, cos(pick([...randomSubset]), at1.grad));
    close(d.sharpness, mean(at1.losses) - mean(at0.losses));
    // ζ is measured only on request.
    for (const key of ['linearity', 'linearityBPlus', 'linearityBMinus']) expect(d).not.toHaveProperty(key);

    // The weights are back at θ afterwards.
    expect(Array.from(await model.params[0].variable.data())).toEqual(Array.from(Float32Array.from(W.flat())));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('measures ζ(ε, S) for B, B+ and B− against the hand computation (appendix A.3)', async () => {
    const { model, W, b, xs, ys, inputs, classes, x, y } = softmaxCase();
    const rho = 0.5;
    const before = tf.memory().numTensors;
    const d = await measureDiagnostics(model, x, y, {
      rho,
      gamma: 0.4,
      randomSubset: Int32Array.from([1, 4, 6]),
      linearity: fullPerturbation(model),
    });
    expect(tf.memory().numTensors).toBe(before);

    const byHand = handLinearity({ W, b, xs, ys, inputs, classes }, rho, (grad) => {
      const norm = Math.sqrt(grad.reduce((s, g) => s + g * g, 0));
      return grad.map((g) => (rho * g) / norm);
    });
    close(d.linearity, byHand.zeta([...byHand.order.keys()]));
    close(d.linearityBPlus, byHand.zeta(byHand.order.slice(0, 3)));
    close(d.linearityBMinus, byHand.zeta(byHand.order.slice(3)));
    expect(d.linearityBPlus).toBeGreaterThan(1e-3); // ρ = 0.5 is far enough for the curvature to show

    expect(Array.from(await model.params[0].variable.data())).toEqual(Array.from(Float32Array.from(W.flat())));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('measures ζ along the run’s own SWP perturbation: masked tensors stay, the rest scaled by 1/β (Fig. 7)', async () => {
    const { model, W, b, xs, ys, inputs, classes, x, y } = softmaxCase();
    const rho = 0.5;
    const beta = 0.5;
    const d = await measureDiagnostics(model, x, y, {
      rho,
      gamma: 0.4,
      randomSubset: Int32Array.from([1, 4, 6]),
      linearity: { beta, adaptive: false, swpMask: [true, false] },
    });

    // ε of SWP keeping W only: ρ·g_W/‖g_W‖/β, zero on b.
    const kernel = inputs * classes;
    const byHand = handLinearity({ W, b, xs, ys, inputs, classes }, rho, (grad) => {
      const kernelNorm = Math.sqrt(grad.slice(0, kernel).reduce((s, g) => s + g * g, 0));
      return grad.map((g, i) => (i < kernel ? (rho * g) / kernelNorm / beta : 0));
    });
    close(d.linearity, byHand.zeta([...byHand.order.keys()]));
    close(d.linearityBPlus, byHand.zeta(byHand.order.slice(0, 3)));
    close(d.linearityBMinus, byHand.zeta(byHand.order.slice(3)));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('with BatchNorm: ζ uses the whole-batch forward, and leaves weights, statistics and tensors as they were', async () => {
    const rng = new Rng(9);
    const model = createModel('resnet8', [8, 8, 3], 5, rng);
    const n = 8;
    const x = tf.tensor4d(
      Float32Array.from({ length: n * 8 * 8 * 3 }, () => rng.normal()),
      [n, 8, 8, 3],
    );
    const y = tf.tensor1d(
      Array.from({ length: n }, () => rng.int(5)),
      'int32',
    );
    const rho = 0.2;
    const vars = model.params.map((p) => p.variable);
    const weights = await snapshot(model);
    const before = tf.memory().numTensors;

    const d = await measureDiagnostics(model, x, y, {
      rho,
      gamma: 0.5,
      randomSubset: Int32Array.from([0, 2, 5, 7]),
      linearity: fullPerturbation(model),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(await snapshot(model)).toEqual(weights);

    // Direct, with tfjs: per-sample losses of the whole batch (BatchNorm on batch statistics) at θ
    // and θ+ε; ∇L_S(θ) as the gradient of the mean of the gathered losses of S.
    const losses = () => perSampleCrossEntropy(model.apply(x, 'train'), y);
    const gradOfMean = (idx: number[] | null) => {
      const { value, grads } = tf.variableGrads(() => {
        const l = losses();
        return tf.mean(idx ? tf.gather(l, idx) : l) as tf.Scalar;
      }, vars);
      value.dispose();
      return vars.map((v) => grads[v.name]);
    };
    // Async reads only: WebGPU has no synchronous readback.
    const read = async (t: tf.Tensor): Promise<number[]> => {
      const values = Array.from(await t.data());
      t.dispose();
      return values;
    };
    /** Sums (and disposes) temporary tensors. */
    const total = async (parts: tf.Tensor[]) => {
      let s = 0;
      for (const t of parts) {
        s += (await read(tf.sum(t)))[0];
        t.dispose();
      }
      return s;
    };
    const g = gradOfMean(null);
    const gNorm = Math.sqrt(await total(g.map((t) => tf.square(t))));
    const eps = g.map((t) => tf.mul(t, rho / gNorm));
    const l0 = await read(tf.tidy(losses));
    vars.forEach((v, i) => v.assign(tf.add(v, eps[i])));
    const l1 = await read(tf.tidy(losses));
    vars.forEach((v, i) => v.assign(tf.sub(v, eps[i])));
    const rise = l1.map((l, i) => l - l0[i]);
    const order = [...rise.keys()].sort((p, q) => rise[q] - rise[p]);
    const zeta = async (idx: number[]) => {
      const grad = gradOfMean(idx);
      const first = await total(grad.map((t, i) => tf.mul(t, eps[i])));
      tf.dispose(grad);
      return Math.abs(mean(idx.map((i) => l1[i])) - mean(idx.map((i) => l0[i])) - first);
    };
    close(d.linearity, await zeta([...order.keys()]));
    close(d.linearityBPlus, await zeta(order.slice(0, 4)));
    close(d.linearityBMinus, await zeta(order.slice(4)));
    close(d.sharpness, mean(l1) - mean(l0));

    tf.dispose([...g, ...eps, x, y]);
    model.dispose();
  });
});
