import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureDiagnostics } from '../../src/engine/diagnostics';
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

describe('diagnostics (Fig. 5 and 6) against a direct computation', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('matches a hand-computed softmax regression on 8 samples', async () => {
    const rng = new Rng(4);
    const [inputs, classes, n] = [3, 4, 8];
    const model = createMlp([inputs, classes], rng);
    const W = Array.from({ length: inputs }, () => Array.from({ length: classes }, () => rng.normal()));
    const b = Array.from({ length: classes }, () => rng.normal() * 0.1);
    model.params[0].variable.assign(tf.tensor2d(W));
    model.params[1].variable.assign(tf.tensor1d(b));
    const xs = Array.from({ length: n }, () => Array.from({ length: inputs }, () => rng.normal()));
    const ys = Array.from({ length: n }, () => rng.int(classes));
    const randomSubset = Int32Array.from([1, 4, 6]);
    const rho = 0.5;
    const gamma = 0.4; // |B+| = 3

    const x = tf.tensor2d(xs);
    const y = tf.tensor1d(ys, 'int32');
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
    const pick = (idx: number[]) => softmaxRegression(W1, b1, idx.map((i) => xs[i]), idx.map((i) => ys[i])).grad;

    const close = (ours: number, ref: number) => expect(Math.abs(ours - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
    close(d.lossBPlus, mean(plus.map((i) => at0.losses[i])));
    close(d.lossBMinus, mean(minus.map((i) => at0.losses[i])));
    close(d.lossBPlusPerturbed, mean(plus.map((i) => at1.losses[i])));
    close(d.lossBMinusPerturbed, mean(minus.map((i) => at1.losses[i])));
    close(d.cosBPlus, cos(pick(plus), at1.grad));
    close(d.cosBMinus, cos(pick(minus), at1.grad));
    close(d.cosRandom, cos(pick([...randomSubset]), at1.grad));
    close(d.sharpness, mean(at1.losses) - mean(at0.losses));

    // The weights are back at θ afterwards.
    expect(Array.from(await model.params[0].variable.data())).toEqual(Array.from(Float32Array.from(W.flat())));
    tf.dispose([x, y]);
    model.dispose();
  });
});
