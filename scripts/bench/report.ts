/** The benchmark's JSON record and its markdown table, with the issue's targets marked. */
import { BENCH_CONFIG_LABELS, type BenchConfigName } from '../../src/bench/configs';
import type { OverheadResult, ThroughputTask } from '../../src/bench/tasks';
import type { ConfigThroughput } from '../../src/bench/throughput';
import type { LongTaskReport } from './browser';
import type { TracedTask } from './trace';
import type { TorchCell } from './torch';

export const BENCH_FORMAT = 'esam-playground/bench@1';

/** Throughput relative to SAM that ESAM should reach (the paper reports ESAM at 1.38–1.40×). */
export const RATIO_TARGETS: Partial<Record<BenchConfigName, number>> = { esam: 1.4, 'esam-swp': 1.08, 'esam-sds': 1.2 };
export const OVERHEAD_TARGET = 0.95;
/** The CLI's SGD throughput relative to PyTorch's on the same CPU, model and batch. */
export const TORCH_TARGET = 0.1;
export const LONG_TASK_LIMIT_MS = 50;

export interface ThroughputCell {
  task: ThroughputTask;
  /** Where it ran: "Node, tfjs CPU backend" or the adapter as the page described it. */
  where: string;
  results: ConfigThroughput[];
}

export interface MemoryVerdict {
  numTensors: number[];
  numBytesInGPU: (number | null)[];
  /** Tensor count equal after every epoch, and GPU bytes equal from the second epoch on. */
  flat: boolean;
}

export interface BenchRecord {
  format: typeof BENCH_FORMAT;
  createdAt: string;
  command: string;
  profile: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; node: string; chromium: string | null };
  throughput: ThroughputCell[];
  /** PyTorch's SGD beside the Node cells; null when not measured (torchUnavailable says why, if it was asked for). */
  torch: TorchCell | null;
  torchUnavailable: string | null;
  overhead: (OverheadResult & { where: string; memoryVerdict: MemoryVerdict }) | null;
  longTasks: LongTaskReport | null;
  seconds: number;
}

export function memoryVerdict(result: OverheadResult): MemoryVerdict {
  const numTensors = result.memory.map((m) => m.numTensors);
  const numBytesInGPU = result.memory.map((m) => m.numBytesInGPU);
  const sameAll = (xs: unknown[]) => xs.every((x) => x === xs[0]);
  return { numTensors, numBytesInGPU, flat: sameAll(numTensors) && sameAll(numBytesInGPU.slice(1)) };
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

function verdict(config: BenchConfigName, ratio: number | null): string {
  const target = RATIO_TARGETS[config];
  if (target === undefined || ratio === null) return '';
  return ratio >= target ? ` ✓ (≥ ${target})` : ` ✗ (target ${target})`;
}

export function markdownReport(record: BenchRecord): string {
  const lines: string[] = [];
  const m = record.machine;
  lines.push(`Command: \`${record.command}\` (${record.profile} profile, ${fmt(record.seconds / 60)} min), ${record.createdAt}.`);
  lines.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}${m.chromium ? `, Chromium ${m.chromium}` : ''}.`,
  );
  const adapters = [...new Map(record.throughput.map((c) => [c.task.backend, c.where])).entries()];
  lines.push(`Backends: ${adapters.map(([backend, where]) => `${backend} = ${where}`).join('; ')}.`);
  lines.push('');
  lines.push('| backend | model | batch | configuration | median img/s | min–max | × SAM |');
  lines.push('|---|---|---:|---|---:|---:|---:|');
  for (const cell of record.throughput) {
    for (const r of cell.results) {
      lines.push(
        `| ${cell.task.backend} | ${cell.task.model} | ${cell.task.batchSize} | ${BENCH_CONFIG_LABELS[r.config]} | ${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ${r.ratioToSam === null ? '—' : fmt(r.ratioToSam, 2)}${verdict(r.config, r.ratioToSam)} |`,
      );
    }
  }
  lines.push('');
  lines.push(
    `Each cell: ${record.throughput[0]?.task.warmupSteps ?? 0} untimed warm-up step(s) per configuration, then ${record.throughput[0]?.task.samples ?? 0} samples of ${record.throughput[0]?.task.stepsPerSample ?? 0} step(s), configurations interleaved in a rotating order.`,
  );
  lines.push(...torchLines(record));
  if (record.overhead) {
    const o = record.overhead;
    const v = o.memoryVerdict;
    lines.push('');
    lines.push(
      `Playground overhead (${o.where}, conv, ${o.memory.length} epochs): worker loop ÷ bare loop = ${fmt(o.ratio, 3)} ${o.ratio >= OVERHEAD_TARGET ? '✓' : '✗'} (target ≥ ${OVERHEAD_TARGET}); ` +
        `tensors after each epoch: ${[...new Set(v.numTensors)].join(', ')}; GPU bytes: ${[...new Set(v.numBytesInGPU.map(String))].join(', ')} → ${v.flat ? 'flat ✓' : 'not flat ✗'}.`,
    );
  }
  if (record.longTasks) {
    const l = record.longTasks;
    lines.push('');
    lines.push(
      `Main thread while a run streams into the charts (${fmt(l.runSeconds)} s): ${l.count} long task(s), longest ${fmt(l.maxMs, 0)} ms ${l.maxMs <= LONG_TASK_LIMIT_MS ? '✓' : '✗'} (target: none over ${LONG_TASK_LIMIT_MS} ms).` +
        (l.traced ? ` ${tracedSentence(l.traced)}` : ''),
    );
  }
  return lines.join('\n') + '\n';
}

/** How much of the traced long tasks was the thread's own CPU time. */
function tracedSentence(tasks: readonly TracedTask[]): string {
  const cpu = tasks.flatMap((t) => (t.cpuMs === null ? [] : [t.cpuMs])).sort((a, b) => a - b);
  if (cpu.length === 0) return 'The trace gave no thread time for them.';
  return `Their thread CPU time (Chromium's trace, ${cpu.length} tasks): median ${fmt(cpu[Math.floor(cpu.length / 2)], 0)} ms, longest ${fmt(cpu[cpu.length - 1], 0)} ms, ${cpu.filter((c) => c > LONG_TASK_LIMIT_MS).length} over ${LONG_TASK_LIMIT_MS} ms.`;
}

/** The Node cells' SGD against PyTorch's on the same CPU, model and batch. */
function torchLines(record: BenchRecord): string[] {
  if (record.torchUnavailable) return ['', `PyTorch: not measured (${record.torchUnavailable}).`];
  const t = record.torch;
  if (!t) return [];
  const lines = ['', `| SGD, ${t.task.model}, batch ${t.task.batchSize} | median img/s | min–max | × PyTorch |`, '|---|---:|---:|---:|'];
  lines.push(
    `| PyTorch ${t.torchVersion} (${t.threads} thread${t.threads === 1 ? '' : 's'}) | ${fmt(t.median)} | ${fmt(t.min)}–${fmt(t.max)} | 1.00 |`,
  );
  for (const cell of record.throughput) {
    if (cell.task.model !== t.task.model || cell.task.batchSize !== t.task.batchSize) continue;
    const sgd = cell.results.find((r) => r.config === 'sgd');
    if (!sgd || !cell.where.startsWith('Node')) continue;
    const ratio = sgd.median / t.median;
    const mark = ratio >= TORCH_TARGET ? ` ✓ (≥ ${TORCH_TARGET})` : ` ✗ (target ${TORCH_TARGET})`;
    lines.push(`| ${cell.where} | ${fmt(sgd.median)} | ${fmt(sgd.min)}–${fmt(sgd.max)} | ${fmt(ratio, 2)}${mark} |`);
  }
  return lines;
}
