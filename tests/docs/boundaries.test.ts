/**
 * The layers' import boundaries, as eslint.config.js states them, catch what they are meant to:
 * each case lints a small source as if it lived at the given path, with the project's own config.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The boundary rules `code` breaks at `path` (the other rules are not this test's business). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  return result.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('ui and store import no tfjs values', () => {
  it.each([
    ['src/ui/Probe.tsx', "import * as tf from '@tensorflow/tfjs';\nexport const n = tf.memory;"],
    ['src/ui/landscape/Probe.tsx', "import { tensor } from '@tensorflow/tfjs';\nexport const t = tensor;"],
    ['src/store/probe.ts', "import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';\nexport const b = WebGPUBackend;"],
    ['src/store/probe.ts', "import { type Tensor, tensor } from '@tensorflow/tfjs';\nexport const t: Tensor = tensor(1);"],
    ['src/store/probe.ts', "export { memory } from '@tensorflow/tfjs';"],
    ['src/ui/probe.ts', "export const load = () => import('@tensorflow/tfjs');"],
  ])('%s: %j is refused', async (path, code) => {
    const errors = await boundaryErrors(path, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ui and store never touch tensors');
  });

  it.each([
    ['src/ui/Probe.tsx', "import type { Tensor } from '@tensorflow/tfjs';\nexport type T = Tensor;"],
    ['src/store/probe.ts', "import { type Tensor, type Rank } from '@tensorflow/tfjs';\nexport type T = Tensor<Rank.R1>;"],
    ['src/ui/Probe.tsx', "import { RUN_FORMAT } from '../engine/run-record';\nexport const f = RUN_FORMAT;"],
  ])('%s: %j is allowed', async (path, code) => {
    expect(await boundaryErrors(path, code)).toEqual([]);
  });

  it('the worker and the bench may import tfjs values', async () => {
    const code = "import * as tf from '@tensorflow/tfjs';\nexport const n = tf.memory;";
    expect(await boundaryErrors('src/worker/probe.ts', code)).toEqual([]);
    expect(await boundaryErrors('src/bench/probe.ts', code)).toEqual([]);
  });
});

describe('engine and data import nothing from worker, store or ui', () => {
  it.each([
    ['src/engine/probe.ts', "import { activeRun } from '../store/store';\nexport const a = activeRun;"],
    ['src/engine/landscape/probe.ts', "import type { BackendReport } from '../../worker/protocol';\nexport type R = BackendReport;"],
    ['src/data/probe.ts', "import { App } from '../ui/App';\nexport const a = App;"],
    ['src/data/probe.ts', "export { type SettingDef } from '../store/settings';"],
    ['src/engine/probe.ts', "export const load = () => import('../worker/session');"],
    ['src/engine/probe.ts', "import { useState } from 'react';\nexport const u = useState;"],
    ['src/data/probe.ts', "import { create } from 'zustand';\nexport const c = create;"],
  ])('%s: %j is refused', async (path, code) => {
    const errors = await boundaryErrors(path, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('engine and data run in Node and in the worker');
  });

  it.each([
    [
      'src/engine/probe.ts',
      "import * as tf from '@tensorflow/tfjs';\nimport { DatasetError } from '../data/errors';\nexport const x = [tf, DatasetError];",
    ],
    ['src/engine/landscape/probe.ts', "import { RUN_FORMAT } from '../run-record';\nexport const f = RUN_FORMAT;"],
    ['src/data/probe.ts', "import { openDB } from 'idb';\nimport { Rng } from '../engine/random';\nexport const x = [openDB, Rng];"],
  ])('%s: %j is allowed', async (path, code) => {
    expect(await boundaryErrors(path, code)).toEqual([]);
  });
});
