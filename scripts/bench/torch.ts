/** PyTorch's SGD loop on the same CPU, model and batch as the Node cells (scripts/reference/torch_throughput.py). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { summarizeSamples, type SampleSummary } from '../../src/bench/stats';
import type { TorchTask } from './plan';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../reference/torch_throughput.py', import.meta.url));
const run = promisify(execFile);

export interface TorchCell extends SampleSummary {
  task: TorchTask;
  torchVersion: string;
  /** torch.get_num_threads() during the loop. */
  threads: number;
  samples: number[];
}

/** Measures PyTorch, or says why it could not (no python3 or no torch there). */
export async function measureTorch(task: TorchTask): Promise<{ cell: TorchCell } | { unavailable: string }> {
  try {
    await run(PYTHON, ['-c', 'import torch']);
  } catch {
    return { unavailable: `${PYTHON} -c 'import torch' failed: PyTorch is not installed for that Python` };
  }
  const args = [
    SCRIPT,
    '--model',
    task.model,
    '--batch',
    String(task.batchSize),
    '--warmup',
    String(task.warmupSteps),
    '--steps',
    String(task.stepsPerSample),
    '--samples',
    String(task.samples),
  ];
  const { stdout } = await run(PYTHON, args, { maxBuffer: 1 << 20 });
  const out = JSON.parse(stdout) as { torch: string; threads: number; imagesPerSec: number[] };
  return {
    cell: { task, torchVersion: out.torch, threads: out.threads, samples: out.imagesPerSec, ...summarizeSamples(out.imagesPerSec) },
  };
}

/** Two measurements of the same task as one cell: all samples, summarised together. */
export function poolTorch(a: TorchCell, b: TorchCell): TorchCell {
  const samples = [...a.samples, ...b.samples];
  return { ...a, samples, ...summarizeSamples(samples) };
}
