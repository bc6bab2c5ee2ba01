import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTinyConv } from '../../src/engine/models/conv';
import { createMlp } from '../../src/engine/models/mlp';
import { Rng } from '../../src/engine/random';
import { finiteDifferenceStep, hessianVectorProduct, topHessianEigenvalue, type GradientFn } from '../../src/engine/sharpness/hessian';
import { meanLossGradient } from '../../src/engine/sharpness/model-gradient';
import { useBackend } from '../support/backend';
import { randomBatch } from './helpers';

/** A symmetric n×n matrix Q·diag(eigenvalues)·Qᵀ with a seeded random orthogonal Q (Gram–Schmidt). */
function symmetricWithEigenvalues(eigenvalues: number[], seed: number): number[][] {
  const n = eigenvalues.length;
  const rng = new Rng(seed);
  const q: number[][] = [];
  while (q.length < n) {
    let v = Array.from({ length: n }, () => rng.normal());
    for (const u of q) {
      const d = u.reduce((s, ui, i) => s + ui * v[i], 0);
      v = v.map((vi, i) => vi - d * u[i]);
    }
    const norm = Math.hypot(...v);
    q.push(v.map((vi) => vi / norm));
  }
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => eigenvalues.reduce((s, l, k) => s + l * q[k][i] * q[k][j], 0)),
  );
}

/** ∇(½ xᵀAx) = Ax for one parameter tensor x of shape [n, 1]. */
function quadraticGradient(a: tf.Tensor2D): GradientFn {
  return ([x]) => [tf.matMul(a, x)];
}

/** A seeded random direction with the shapes of `like`, of unit norm over all tensors. */
function unitDirection(like: tf.Tensor[], seed: number): tf.Tensor[] {
  const rng = new Rng(seed);
  return tf.tidy(() => {
    const raw = like.map((t) =>
      tf.tensor(
        Float32Array.from({ length: t.size }, () => rng.normal()),
        t.shape,
      ),
    );
    const norm = tf.sqrt(tf.stack(raw.map((t) => tf.sum(tf.square(t)))).sum());
    return raw.map((t) => tf.div(t, norm));
  });
}

async function dot(a: tf.Tensor[], b: tf.Tensor[]): Promise<number> {
  const d = tf.tidy(() => tf.stack(a.map((t, i) => tf.sum(tf.mul(t, b[i])))).sum());
  const value = (await d.data())[0];
  d.dispose();
  return value;
}

interface HessianFixture {
  model: { kind: 'mlp'; dims: number[] };
  params: Record<string, { shape: number[]; data: number[] }>;
  batch: { x: { shape: number[]; data: number[] }; y: number[] };
  expected: { lambdaMax: number; eigenvalues: number[] };
}

describe('top Hessian eigenvalue (power iteration on finite-difference Hessian-vector products)', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('finds λ_max of a quadratic ½xᵀAx with known eigenvalues, leak-free', async () => {
    const eigenvalues = [4, 2.5, 1, 0.3, -0.5, -1.5];
    const a = tf.tensor2d(symmetricWithEigenvalues(eigenvalues, 3));
    const x = tf.tensor2d([[0.5], [-1], [2], [0.25], [1.5], [-0.75]]);
    const before = tf.memory().numTensors;
    const out = await topHessianEigenvalue(quadraticGradient(a), [x], { iterations: 40, seed: 7 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(out.lambdaMax - 4) / 4).toBeLessThan(1e-3);
    expect(out.iterations).toBe(40);
    expect(out.residual).toBeLessThan(1e-3);
    a.dispose();
    x.dispose();
  });

  it('is seeded: the same seed gives the same numbers, and few iterations leave a residual', async () => {
    const a = tf.tensor2d(symmetricWithEigenvalues([3, 2.7, 1, -1], 5));
    const x = tf.tensor2d([[1], [0], [-1], [2]]);
    const grad = quadraticGradient(a);
    const one = await topHessianEigenvalue(grad, [x], { iterations: 3, seed: 11 });
    const again = await topHessianEigenvalue(grad, [x], { iterations: 3, seed: 11 });
    expect(again).toEqual(one);
    // λ₂/λ₁ = 0.9: three iterations are far from converged, and the residual says so.
    expect(one.residual).toBeGreaterThan(1e-2);
    const many = await topHessianEigenvalue(grad, [x], { iterations: 300, seed: 11 });
    expect(Math.abs(many.lambdaMax - 3) / 3).toBeLessThan(1e-3);
    expect(many.residual).toBeLessThan(one.residual);
    a.dispose();
    x.dispose();
  });

  it('returns the dominant eigenvalue, negative when the most negative curvature is the largest', async () => {
    const a = tf.tensor2d(symmetricWithEigenvalues([1, 0.5, -3], 9));
    const x = tf.tensor2d([[0.1], [0.2], [0.3]]);
    const out = await topHessianEigenvalue(quadraticGradient(a), [x], { iterations: 60, seed: 1 });
    expect(Math.abs(out.lambdaMax + 3) / 3).toBeLessThan(1e-3);
    a.dispose();
    x.dispose();
  });

  it('Hv of a quadratic is Av', async () => {
    const a = tf.tensor2d(symmetricWithEigenvalues([2, -1, 0.5], 4));
    const x = tf.tensor2d([[1], [2], [3]]);
    const v = tf.tensor2d([[0.6], [0], [0.8]]);
    const [hv] = hessianVectorProduct(quadraticGradient(a), [x], [v], 1e-2);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(hv, tf.matMul(a, v)))));
    expect((await diff.data())[0]).toBeLessThan(1e-5);
    tf.dispose([a, x, v, hv, diff]);
  });

  it('matches the float64 finite-difference Hessian of a small mlp (tests/fixtures/hessian-mlp.json)', async () => {
    const fixture = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/hessian-mlp.json'), 'utf8')) as HessianFixture;
    const model = createMlp(fixture.model.dims, new Rng(0));
    for (const p of model.params) {
      const init = fixture.params[p.name];
      p.variable.assign(tf.tensor(init.data, init.shape));
    }
    const x = tf.tensor(fixture.batch.x.data, fixture.batch.x.shape);
    const y = tf.tensor1d(fixture.batch.y, 'int32');
    const weights = await Promise.all(model.params.map((p) => p.variable.data()));
    const before = tf.memory().numTensors;
    const out = await topHessianEigenvalue(
      meanLossGradient(model, x, y),
      model.params.map((p) => p.variable),
      { iterations: 60, seed: 2 },
    );
    expect(tf.memory().numTensors).toBe(before);
    const want = fixture.expected.lambdaMax;
    expect(Math.abs(out.lambdaMax - want) / want).toBeLessThan(1e-3);
    expect(out.residual).toBeLessThan(1e-2);
    // The model's own weights are back where they were.
    const after = await Promise.all(model.params.map((p) => p.variable.data()));
    after.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(weights[i])));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('works through a convolution (no second derivative of its filter gradient in tfjs): symmetric Hv, λ_max above random Rayleigh quotients', async () => {
    const model = createTinyConv([5, 5, 2], 4, 5, new Rng(3));
    const { x, y } = randomBatch(new Rng(5), 12, [5, 5, 2], 5);
    const theta = model.params.map((p) => p.variable);
    const grad = meanLossGradient(model, x, y);
    const h = await finiteDifferenceStep(theta);
    const before = tf.memory().numTensors;
    const [u, v] = [unitDirection(theta, 1), unitDirection(theta, 2)];
    const [hu, hv] = [hessianVectorProduct(grad, theta, u, h), hessianVectorProduct(grad, theta, v, h)];
    const [uHv, vHu] = [await dot(u, hv), await dot(v, hu)];
    expect(Math.abs(uHv - vHu) / Math.abs(uHv)).toBeLessThan(1e-2);
    const out = await topHessianEigenvalue(grad, theta, { iterations: 30, seed: 1 });
    expect(out.lambdaMax).toBeGreaterThan(0);
    expect(out.residual).toBeLessThan(1e-3);
    for (const seed of [3, 4, 5]) {
      const w = unitDirection(theta, seed);
      const hw = hessianVectorProduct(grad, theta, w, h);
      expect(await dot(w, hw)).toBeLessThan(out.lambdaMax);
      tf.dispose([w, hw]);
    }
    tf.dispose([u, v, hu, hv]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
