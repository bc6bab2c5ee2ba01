import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs, type BenchPlan } from '../../scripts/bench/plan';

const plan = (argv: string[]) => parseBenchArgs(argv) as BenchPlan;

describe('npm run bench flags', () => {
  it('the full profile measures cnn on webgpu and webgl in Chromium, on wasm and the CPU in Node, and PyTorch beside them', () => {
    const p = plan([]);
    expect(p.profile).toBe('full');
    expect(p.throughput.map((t) => `${t.backend}:${t.model}:${t.batchSize}`)).toEqual([
      'webgpu:cnn:32',
      'webgl:cnn:32',
      'wasm:cnn:32',
      'cpu:cnn:32',
    ]);
    expect(p.torch).toEqual({ model: 'cnn', batchSize: 32, warmupSteps: 1, stepsPerSample: 2, samples: 3 });
    expect(p.overhead).toMatchObject({ backend: 'webgpu', epochs: 10 });
    expect(p.longTasks?.query).toContain('backend=webgpu');
    expect(p.build).toBe(true);
  });

  it('--quick uses the tiny conv model everywhere', () => {
    const p = plan(['--quick']);
    expect(p.profile).toBe('quick');
    expect(new Set(p.throughput.map((t) => t.model))).toEqual(new Set(['conv']));
  });

  it('flags choose backends, models, batch and timing', () => {
    const p = plan([
      '--backends',
      'webgl',
      '--models',
      'cnn,resnet20',
      '--batch',
      '128',
      '--steps',
      '5',
      '--samples',
      '4',
      '--warmup',
      '2',
      '--no-build',
      '--out',
      'x',
    ]);
    expect(p.throughput.map((t) => `${t.backend}:${t.model}:${t.batchSize}:${t.warmupSteps}/${t.stepsPerSample}/${t.samples}`)).toEqual([
      'webgl:cnn:128:2/5/4',
      'webgl:resnet20:128:2/5/4',
    ]);
    expect(p.overhead?.backend).toBe('webgl');
    expect(p.build).toBe(false);
    expect(p.outDir).toBe('x');
  });

  it('Node only: nothing needs Chromium', () => {
    const p = plan(['--backends', 'cpu', '--node-model', 'linear', '--node-batch', '8']);
    expect(p.throughput).toEqual([expect.objectContaining({ backend: 'cpu', model: 'linear', batchSize: 8 })]);
    expect(p.overhead).toBeNull();
    expect(p.longTasks).toBeNull();
  });

  it('--node: the CLI’s backends and PyTorch, nothing in Chromium; --no-torch drops PyTorch', () => {
    const p = plan(['--node']);
    expect(p.throughput.map((t) => `${t.backend}:${t.model}:${t.batchSize}`)).toEqual(['wasm:cnn:32', 'cpu:cnn:32']);
    expect(p.torch?.model).toBe('cnn');
    expect(p.overhead).toBeNull();
    expect(p.longTasks).toBeNull();
    expect(plan(['--node', '--no-torch']).torch).toBeNull();
    // PyTorch's loop exists only for cnn.
    expect(plan(['--node', '--quick']).torch).toBeNull();
  });

  it('bad flags name the problem', () => {
    expect(() => parseBenchArgs(['--backends', 'metal'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--backends', 'metal'])).toThrow(/metal/);
    expect(() => parseBenchArgs(['--models', 'vgg'])).toThrow(/unknown model vgg/);
    expect(() => parseBenchArgs(['--steps', '0'])).toThrow(/--steps/);
    expect(() => parseBenchArgs(['--batch'])).toThrow(/--batch/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown flag --fast/);
    expect(parseBenchArgs(['--help'])).toBe('help');
  });
});
