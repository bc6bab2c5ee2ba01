/**
 * The bench page (bench.html): runs one measurement named in its URL and shows the result.
 * The Node driver (npm run bench) opens it in Chromium and reads window.__bench; a person can
 * open it too, to measure their own GPU, e.g. /bench.html?task=throughput&backend=webgpu&model=cnn.
 */
import { BENCH_CONFIG_LABELS, BENCH_CONFIG_NAMES } from './configs';
import { measureOverhead } from './overhead';
import { askBenchWorker } from './bench-client';
import type { ToBenchWorker } from './protocol';
import { filterGradientMarkdown } from './filter-gradient-report';
import { benchTaskQuery, parseBenchTask, type BenchResult, type BenchState, type FilterGradientTask, type ThroughputTask } from './tasks';
import type { ConfigThroughput } from './throughput';

declare global {
  interface Window {
    __bench: BenchState;
  }
}

const root = document.getElementById('bench')!;
const state: BenchState = { status: 'idle', progress: '', backend: null, result: null, error: null };
window.__bench = state;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, children: Node[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  children.forEach((c) => node.append(c));
  return node;
}

function table(head: string[], rows: string[][]): HTMLTableElement {
  return el('table', undefined, [
    el('thead', undefined, [
      el(
        'tr',
        undefined,
        head.map((h) => el('th', h)),
      ),
    ]),
    el(
      'tbody',
      undefined,
      rows.map((r) =>
        el(
          'tr',
          undefined,
          r.map((c) => el('td', c)),
        ),
      ),
    ),
  ]);
}

const status = el('p', 'Idle.');
const output = el('div');

function render(): void {
  status.className = state.status === 'error' ? 'error' : '';
  status.textContent =
    state.status === 'error'
      ? `Failed: ${state.error}`
      : state.status === 'done'
        ? `Done${state.backend ? ` on ${state.backend}` : ''}.`
        : state.status === 'running'
          ? `Running${state.backend ? ` on ${state.backend}` : ''}… ${state.progress}`
          : 'Pick a measurement below.';
  output.replaceChildren(...(state.result ? resultView(state.result) : []));
}

function throughputTable(results: ConfigThroughput[]): HTMLTableElement {
  return table(
    ['configuration', 'median images/s', 'min–max', '× SAM'],
    results.map((r) => [
      BENCH_CONFIG_LABELS[r.config],
      r.median.toFixed(1),
      `${r.min.toFixed(1)}–${r.max.toFixed(1)}`,
      r.ratioToSam?.toFixed(2) ?? '—',
    ]),
  );
}

function resultView(result: BenchResult): Node[] {
  if (result.task === 'throughput') return [throughputTable(result.results)];
  if (result.task === 'filter-gradient') return [el('pre', filterGradientMarkdown(result.result, state.backend ?? result.result.backend))];
  const r = result.result;
  return [
    el('p', `Worker loop ÷ bare loop (median of epochs 2+): ${r.ratio.toFixed(3)}`),
    table(
      ['epoch', 'worker images/s', 'bare images/s', 'epoch wall s', 'tensors', 'GPU bytes'],
      r.workerImagesPerSec.map((w, i) => [
        String(i + 1),
        w.toFixed(1),
        r.bareImagesPerSec[i]?.toFixed(1) ?? '—',
        r.epochWallSeconds[i].toFixed(2),
        String(r.memory[i].numTensors),
        r.memory[i].numBytesInGPU === null ? '—' : String(r.memory[i].numBytesInGPU),
      ]),
    ),
  ];
}

async function measureThroughputInWorker(task: ThroughputTask): Promise<BenchResult> {
  const { warmupSteps, stepsPerSample, samples, seed, model, batchSize } = task;
  const request: ToBenchWorker = {
    type: 'throughput',
    backend: task.backend,
    options: { model, batchSize, warmupSteps, stepsPerSample, samples, seed, configs: BENCH_CONFIG_NAMES },
  };
  const answer = await askBenchWorker(request, 'throughput', (message) => {
    if (message.type === 'backend') state.backend = message.backend.description;
    if (message.type === 'progress') state.progress = `${message.done}/${message.total} blocks of steps`;
    render();
  });
  return { task: 'throughput', results: answer.results };
}

async function measureFilterGradientInWorker(task: FilterGradientTask): Promise<BenchResult> {
  const request: ToBenchWorker = { type: 'filter-gradient', backend: task.backend, batchSize: task.batchSize, reps: task.samples };
  const answer = await askBenchWorker(request, 'filter-gradient', (message) => {
    if (message.type === 'backend') state.backend = message.backend.description;
    if (message.type === 'progress') state.progress = `${message.done}/${message.total} shapes`;
    render();
  });
  return { task: 'filter-gradient', result: answer.result };
}

const PRESETS: { label: string; query: string }[] = [
  { label: 'Throughput, default CNN, batch 128, WebGPU', query: 'task=throughput&backend=webgpu&model=cnn&batch=128' },
  { label: 'Throughput, default CNN, batch 128, WebGL', query: 'task=throughput&backend=webgl&model=cnn&batch=128' },
  { label: 'Throughput, ResNet-20, batch 128, WebGPU', query: 'task=throughput&backend=webgpu&model=resnet20&batch=128' },
  { label: 'Worker overhead and memory over 10 epochs, WebGPU', query: 'task=overhead&backend=webgpu&model=cnn&batch=64&epochs=10' },
  { label: 'Filter-gradient routes on every conv shape, batch 128, WebGPU', query: 'task=filter-gradient&backend=webgpu&batch=128' },
  { label: 'Filter-gradient routes on every conv shape, batch 128, WebGL', query: 'task=filter-gradient&backend=webgl&batch=128' },
];

async function main(): Promise<void> {
  root.append(status, output);
  let task;
  try {
    task = parseBenchTask(location.search);
  } catch (e) {
    Object.assign(state, { status: 'error', error: (e as Error).message });
    render();
    return;
  }
  if (!task) {
    render();
    root.append(
      el(
        'ul',
        undefined,
        PRESETS.map((p) => el('li', undefined, [Object.assign(el('a', p.label), { href: `?${p.query}` })])),
      ),
    );
    return;
  }
  root.prepend(el('p', undefined, [el('code', benchTaskQuery(task))]));
  state.status = 'running';
  render();
  try {
    state.result =
      task.task === 'throughput'
        ? await measureThroughputInWorker(task)
        : task.task === 'filter-gradient'
          ? await measureFilterGradientInWorker(task)
          : { task: 'overhead', result: await measureOverhead(task, (text) => ((state.progress = text), render())) };
    if (task.task === 'overhead') state.backend = task.backend;
    state.status = 'done';
  } catch (e) {
    state.status = 'error';
    state.error = e instanceof Error ? e.message : String(e);
  }
  render();
}

void main();
