/**
 * `npm run train -- --backend webgpu` as a person runs it (npm, tsx, a real process): through
 * Dawn on SwiftShader here (the variables of scripts/node-webgpu.ts), and the one-line error
 * when Dawn finds no adapter. Runs under `npm run test:webgpu`.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../scripts/train';
import { SWIFTSHADER_ENV } from '../../scripts/node-webgpu';
import type { RunRecord } from '../../src/engine/run-record';

function spawnTrain(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn('npm', ['run', '--silent', 'train', '--', ...args], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

const TINY = ['--backend', 'webgpu', '--model', 'linear', '--epochs', '1', '--batch-size', '8', '--train-size', '16', '--test-size', '8'];

describe('train CLI on WebGPU', () => {
  it('trains through Dawn and names webgpu and its adapter in the run JSON', async () => {
    const r = await spawnTrain(TINY, { ...process.env, ...SWIFTSHADER_ENV });
    expect(r.stderr).not.toMatch(/^train: /m);
    expect(r.code).toBe(EXIT.completed);
    const record = JSON.parse(r.stdout) as RunRecord;
    expect(record.status).toBe('completed');
    expect(record.environment.backend).toBe('webgpu');
    expect(record.environment.adapter).toMatch(/swiftshader/i);
    expect(record.epochs).toHaveLength(1);
    expect(Number.isFinite(record.epochs[0].trainLoss)).toBe(true);
  });

  it('without an adapter: exit 2 and one line that says so and how to get SwiftShader', async () => {
    // No Vulkan driver at all: no chromium libraries on the path, and an ICD list that does not exist.
    const env = { ...process.env, LD_LIBRARY_PATH: '', VK_ICD_FILENAMES: '/nonexistent/icd.json' };
    const r = await spawnTrain(TINY, env);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    // Dawn itself may warn first (its own lines); ours is the last, and a single one.
    const ours = r.stderr
      .trimEnd()
      .split('\n')
      .filter((line) => line.startsWith('train: '));
    expect(ours).toEqual([expect.stringMatching(/^train: --backend webgpu: Dawn found no WebGPU adapter .*VK_ICD_FILENAMES=/)]);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(ours[0]);
  });
});
