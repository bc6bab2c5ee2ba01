import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from '../../scripts/bench/plan';

describe('npm run bench -- --long-tasks-only', () => {
  it('plans the long-task probe alone, on the first browser backend', () => {
    const plan = parseBenchArgs(['--backends', 'webgpu', '--models', 'conv', '--long-tasks-only']);
    if (plan === 'help') throw new Error('expected a plan');
    expect(plan.throughput).toEqual([]);
    expect(plan.torch).toBeNull();
    expect(plan.overhead).toBeNull();
    expect(plan.longTasks?.query).toContain('backend=webgpu');
  });

  it('measures the same run as the full bench does', () => {
    const only = parseBenchArgs(['--backends', 'webgpu', '--long-tasks-only']);
    const full = parseBenchArgs(['--backends', 'webgpu']);
    if (only === 'help' || full === 'help') throw new Error('expected plans');
    expect(only.longTasks).toEqual(full.longTasks);
  });

  it('refuses --no-long-tasks beside it', () => {
    expect(() => parseBenchArgs(['--long-tasks-only', '--no-long-tasks'])).toThrow(BenchUsageError);
  });
});
