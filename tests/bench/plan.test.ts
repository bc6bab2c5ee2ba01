import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs, type BenchPlan } from '../../scripts/bench/plan';

const plan = (argv: string[]) => parseBenchArgs(argv) as BenchPlan;

describe('npm run bench flags', () => {
  it('the full profile measures cnn on webgpu and webgl in Chromium and on the CPU in Node', () => {
    const p = plan([]);
    expect(p.profile).toBe('full');
    expect(p.throughput.map((t) => `${t.backend}:${t.model}:${t.batchSize}`)).toEqual(['webgpu:cnn:32', 'webgl:cnn:32', 'cpu:cnn:32']);
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
    const p = plan(['--backends', 'webgl', '--models', 'cnn,resnet20', '--batch', '128', '--steps', '5', '--samples', '4', '--warmup', '2', '--no-build', '--out', 'x']);
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

  it('bad flags name the problem', () => {
    expect(() => parseBenchArgs(['--backends', 'wasm'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--backends', 'wasm'])).toThrow(/wasm/);
    expect(() => parseBenchArgs(['--models', 'vgg'])).toThrow(/unknown model vgg/);
    expect(() => parseBenchArgs(['--steps', '0'])).toThrow(/--steps/);
    expect(() => parseBenchArgs(['--batch'])).toThrow(/--batch/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown flag --fast/);
    expect(parseBenchArgs(['--help'])).toBe('help');
  });
});
