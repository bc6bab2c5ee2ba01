import { describe, expect, it } from 'vitest';
import { markdownReport, memoryVerdict, type BenchRecord } from '../../scripts/bench/report';
import type { OverheadResult } from '../../src/bench/tasks';

const memory = (numTensors: number, numBytesInGPU: number | null) => ({ numTensors, numBytes: 0, numBytesInGPU });

function overhead(tensors: number[], gpu: (number | null)[]): OverheadResult {
  return {
    workerImagesPerSec: [1, 1],
    bareImagesPerSec: [1, 1],
    ratio: 0.97,
    epochWallSeconds: [1, 1],
    memory: tensors.map((t, i) => memory(t, gpu[i])),
  };
}

describe('bench report', () => {
  it('memory is flat when tensors never change and GPU bytes settle after the first epoch', () => {
    expect(memoryVerdict(overhead([10, 10, 10], [100, 200, 200])).flat).toBe(true);
    expect(memoryVerdict(overhead([10, 11, 10], [100, 100, 100])).flat).toBe(false);
    expect(memoryVerdict(overhead([10, 10, 10], [100, 200, 300])).flat).toBe(false);
    expect(memoryVerdict(overhead([10, 10], [null, null])).flat).toBe(true);
  });

  it('marks each ratio against its target and states the command and machine', () => {
    const record: BenchRecord = {
      format: 'esam-playground/bench@1',
      createdAt: '2026-01-01T00:00:00.000Z',
      command: 'npm run bench -- --quick',
      profile: 'quick',
      machine: { cpus: 2, cpuModel: 'Some CPU', memoryGiB: 8, platform: 'linux', node: '20', chromium: '150' },
      throughput: [
        {
          task: {
            task: 'throughput',
            backend: 'webgpu',
            model: 'cnn',
            batchSize: 32,
            warmupSteps: 1,
            stepsPerSample: 2,
            samples: 3,
            seed: 1,
          },
          where: 'WebGPU — adapter',
          results: [
            { config: 'sam', samples: [10], median: 10, min: 10, max: 10, ratioToSam: 1 },
            { config: 'esam', samples: [15], median: 15, min: 14, max: 16, ratioToSam: 1.5 },
            { config: 'esam-sds', samples: [11], median: 11, min: 11, max: 11, ratioToSam: 1.1 },
          ],
        },
      ],
      torch: null,
      torchUnavailable: null,
      overhead: { ...overhead([10, 10], [5, 5]), where: 'webgpu', memoryVerdict: memoryVerdict(overhead([10, 10], [5, 5])) },
      longTasks: { count: 1, maxMs: 70, durationsMs: [70], runSeconds: 12 },
      seconds: 120,
    };
    const md = markdownReport(record);
    expect(md).toContain('`npm run bench -- --quick`');
    expect(md).toContain('2 × Some CPU');
    expect(md).toContain('webgpu = WebGPU — adapter');
    expect(md).toContain('| webgpu | cnn | 32 | ESAM β=0.6 γ=0.5 | 15.0 | 14.0–16.0 | 1.50 ✓ (≥ 1.4) |');
    expect(md).toContain('| webgpu | cnn | 32 | ESAM-SDS γ=0.5 | 11.0 | 11.0–11.0 | 1.10 ✗ (target 1.2) |');
    expect(md).toContain('| webgpu | cnn | 32 | SAM | 10.0 | 10.0–10.0 | 1.00 |');
    expect(md).toMatch(/worker loop ÷ bare loop = 0\.970 ✓/);
    expect(md).toMatch(/flat ✓/);
    expect(md).toMatch(/1 long task\(s\), longest 70 ms ✗/);
    expect(md).not.toMatch(/PyTorch/);
  });

  it('sets the Node cells’ SGD against PyTorch’s on the same model and batch, or says why PyTorch is missing', () => {
    const task = { task: 'throughput', model: 'cnn', batchSize: 32, warmupSteps: 1, stepsPerSample: 2, samples: 3, seed: 1 } as const;
    const sgd = (median: number) => [{ config: 'sgd' as const, samples: [median], median, min: median, max: median, ratioToSam: null }];
    const record: BenchRecord = {
      format: 'esam-playground/bench@1',
      createdAt: '2026-01-01T00:00:00.000Z',
      command: 'npm run bench -- --node',
      profile: 'full',
      machine: { cpus: 2, cpuModel: 'Some CPU', memoryGiB: 8, platform: 'linux', node: '20', chromium: null },
      throughput: [
        { task: { ...task, backend: 'wasm' }, where: 'Node, tfjs wasm (SIMD)', results: sgd(120) },
        { task: { ...task, backend: 'cpu' }, where: 'Node, tfjs cpu', results: sgd(12) },
        { task: { ...task, backend: 'cpu', model: 'conv' }, where: 'Node, tfjs cpu', results: sgd(500) },
      ],
      torch: {
        task: { model: 'cnn', batchSize: 32, warmupSteps: 1, stepsPerSample: 2, samples: 3 },
        torchVersion: '2.1',
        threads: 2,
        samples: [600],
        median: 600,
        min: 590,
        max: 610,
      },
      torchUnavailable: null,
      overhead: null,
      longTasks: null,
      seconds: 60,
    };
    const md = markdownReport(record);
    expect(md).toContain('| PyTorch 2.1 (2 threads) | 600.0 | 590.0–610.0 | 1.00 |');
    expect(md).toContain('| Node, tfjs wasm (SIMD) | 120.0 | 120.0–120.0 | 0.20 ✓ (≥ 0.1) |');
    expect(md).toContain('| Node, tfjs cpu | 12.0 | 12.0–12.0 | 0.02 ✗ (target 0.1) |');
    expect(md).not.toContain('| Node, tfjs cpu | 500.0');
    expect(markdownReport({ ...record, torch: null, torchUnavailable: 'no torch' })).toContain('PyTorch: not measured (no torch).');
  });
});
