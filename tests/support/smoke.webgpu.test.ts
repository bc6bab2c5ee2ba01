/**
 * Self-check of the Node WebGPU test set-up (runs only under TFJS_BACKEND=webgpu; files named
 * *.webgpu.test.ts are left out of the default cpu run).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoWebgpuValidationErrors, requestedBackend, takeWebgpuErrors, useBackend } from './backend';

function scalars(n: number): tf.Scalar[] {
  return Array.from({ length: n }, (_, i) => tf.scalar(i + 1));
}

describe.skipIf(requestedBackend() !== 'webgpu')('WebGPU in Node (Dawn + SwiftShader)', () => {
  beforeAll(async () => {
    expect(await useBackend()).toBe('webgpu');
  });

  it('runs on the webgpu backend with a SwiftShader adapter', () => {
    expect(tf.getBackend()).toBe('webgpu');
    const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
    console.log(`WebGPU adapter in Node: vendor=${info?.vendor} architecture=${info?.architecture}`);
    expect(info?.architecture).toBeTruthy();
  });

  it('computes a matMul right', async () => {
    const n = 33; // not a multiple of the tile size
    const a = Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) - 6);
    const b = Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) - 5);
    const want = new Float32Array(n * n);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[r * n + k] * b[k * n + c];
        want[r * n + c] = s;
      }
    const got = await tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n]))).data();
    expect(Array.from(got)).toEqual(Array.from(want));
    await expectNoWebgpuValidationErrors();
  });

  it('adds up to 7 tensors with addN, and any number with stack().sum()', async () => {
    const xs7 = scalars(7);
    expect((await tf.addN(xs7).data())[0]).toBe(28);
    const xs10 = scalars(10);
    expect((await tf.stack(xs10).sum().data())[0]).toBe(55);
    await expectNoWebgpuValidationErrors();
  });

  // Known tfjs 4.22 bug: addN of n >= 8 tensors binds n + 1 storage buffers, more than the
  // default limit of 8 per shader stage, so the pipeline is invalid and never runs. The result
  // is whatever its output buffer held: 0 when fresh, but a stale, plausible value when tfjs's
  // buffer pool hands back a buffer of the same size (here often the 55 of the previous test).
  // The engine must never call tf.addN with 8 or more inputs. This test also proves that the
  // error capture works: without it such a bug passes silently.
  it('catches the invalid pipeline of addN with 10 inputs', async () => {
    const sum = (await tf.addN(scalars(10)).data())[0];
    const errors = await takeWebgpuErrors();
    expect(errors.length, `addN(10 scalars) = ${sum} with no GPU error reported`).toBeGreaterThan(0);
    expect(errors[0].kind).toBe('GPUValidationError');
    expect(errors[0].message).toMatch(/exceeds the maximum/);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/AddNPackedProgram/);
  });

  it('fails loudly when an error is left behind', async () => {
    await tf.addN(scalars(8)).data();
    await expect(expectNoWebgpuValidationErrors()).rejects.toThrow(/WebGPU reported \d+ error/);
  });
});
