/**
 * `npm run bench`: throughput of SGD, SAM, ESAM-SWP, ESAM-SDS and ESAM on webgpu and webgl in
 * Chromium and on the WASM and CPU backends in Node (with PyTorch's SGD on the same CPU beside
 * them), and the playground's own cost. Prints the markdown table and writes it with the full
 * JSON record to bench-results/. See --help.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchFilterGradient, CONV_MODELS, recordFilterGradientShapes } from '../src/bench/filter-gradient';
import { filterGradientMarkdown, type FilterGradientBench } from '../src/bench/filter-gradient-report';
import { measureThroughput } from '../src/bench/throughput';
import { BENCH_CONFIG_NAMES } from '../src/bench/configs';
import { openBrowserBench, type BrowserBench } from './bench/browser';
import * as tf from '@tensorflow/tfjs';
import {
  BENCH_USAGE,
  BenchUsageError,
  NODE_BENCH_BACKENDS,
  parseBenchArgs,
  type BenchPlan,
  type FilterGradientPlan,
  type TorchTask,
} from './bench/plan';
import { BENCH_FORMAT, markdownReport, memoryVerdict, type BenchRecord, type ThroughputCell } from './bench/report';
import { measureTorch, poolTorch } from './bench/torch';
import { useNodeBackend } from './tfjs-node';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function runPlan(plan: BenchPlan, command: string): Promise<BenchRecord> {
  const started = Date.now();
  const record: BenchRecord = {
    format: BENCH_FORMAT,
    createdAt: new Date().toISOString(),
    command,
    profile: plan.profile,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${platform()} ${release()}`,
      node: process.versions.node,
      chromium: null,
    },
    throughput: [],
    torch: null,
    torchUnavailable: null,
    overhead: null,
    longTasks: null,
    seconds: 0,
  };

  // PyTorch runs before and after the Node cells, its samples pooled, so that a change of load on
  // a shared machine during the run does not all land on one side of the comparison.
  const torchBefore = plan.torch ? await torchHalf(plan.torch, 'before') : null;
  for (const task of plan.throughput.filter((t) => NODE_BENCH_BACKENDS.includes(t.backend))) {
    const backend = await useNodeBackend(task.backend as 'wasm' | 'cpu');
    const where = `Node, tfjs ${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ''}`;
    log(`${where}: ${task.model}, batch ${task.batchSize}`);
    const results = await measureThroughput({
      ...task,
      configs: BENCH_CONFIG_NAMES,
      onProgress: (d, t) => log(`  ${d}/${t} blocks of steps`),
    });
    record.throughput.push({ task, where, results });
  }
  if (plan.torch && torchBefore) {
    if ('unavailable' in torchBefore) record.torchUnavailable = torchBefore.unavailable;
    else {
      const after = await torchHalf(plan.torch, 'after');
      record.torch = 'cell' in after ? poolTorch(torchBefore.cell, after.cell) : torchBefore.cell;
    }
  }

  const inBrowser = plan.throughput.filter((t) => !NODE_BENCH_BACKENDS.includes(t.backend));
  if (inBrowser.length > 0 || plan.overhead || plan.longTasks) {
    log(plan.build ? 'Building the app (vite build)…' : 'Serving dist/ as built earlier');
    let browser: BrowserBench | null = null;
    try {
      browser = await openBrowserBench(plan.build);
      record.machine.chromium = browser.version;
      for (const task of inBrowser) {
        log(`Chromium, ${task.backend}: ${task.model}, batch ${task.batchSize}`);
        const { adapter, result } = await browser.run(task, (line) => log(`  ${line}`));
        if (result.task !== 'throughput') throw new Error('the bench page answered a different task');
        const cell: ThroughputCell = { task, where: adapter ?? task.backend, results: result.results };
        record.throughput.push(cell);
      }
      if (plan.overhead) {
        log(`Worker overhead and memory: ${plan.overhead.epochs} epochs on ${plan.overhead.backend}`);
        const { result } = await browser.run(plan.overhead, (line) => log(`  ${line}`));
        if (result.task !== 'overhead') throw new Error('the bench page answered a different task');
        record.overhead = { ...result.result, where: plan.overhead.backend, memoryVerdict: memoryVerdict(result.result) };
      }
      if (plan.longTasks) {
        log('Main-thread long tasks while a run streams into the charts');
        record.longTasks = await browser.longTasks(plan.longTasks.query, (line) => log(`  ${line}`));
      }
    } finally {
      await browser?.close();
    }
  }
  record.seconds = (Date.now() - started) / 1000;
  return record;
}

async function torchHalf(task: TorchTask, when: string): ReturnType<typeof measureTorch> {
  log(`PyTorch on the same CPU (${when} the Node cells): ${task.model}, batch ${task.batchSize}, SGD`);
  const result = await measureTorch(task);
  if ('unavailable' in result) log(`  skipped: ${result.unavailable}`);
  return result;
}

/**
 * --filter-gradient: on webgpu in Node the calls are found on tfjs's CPU backend, then timed; on
 * webgl the bench page's worker does the same in Chromium.
 */
async function filterGradientRun(plan: FilterGradientPlan, build: boolean, outDir: string): Promise<number> {
  const results: (FilterGradientBench & { where: string })[] = [];
  if (plan.backends.includes('webgpu')) {
    tf.env().set('PROD', true); // only silences tfjs's "you are running in Node.js" banner
    await tf.setBackend('cpu'); // tfjs's own kernel: only the calls' shapes are wanted
    const shapes = recordFilterGradientShapes(CONV_MODELS, plan.batchSize);
    const backend = await useNodeBackend('webgpu');
    const where = `Node, tfjs webgpu${backend.adapter ? ` (${backend.adapter})` : ''}`;
    log(`${where}: ${shapes.length} Conv2DBackpropFilter shapes of ${CONV_MODELS.join(', ')}, batch ${plan.batchSize}`);
    results.push({ where, ...(await benchFilterGradient(shapes, { ...plan, onProgress: (line) => log(`  ${line}`) })) });
  }
  if (plan.backends.includes('webgl')) {
    log(build ? 'Building the app (vite build)…' : 'Serving dist/ as built earlier');
    const browser = await openBrowserBench(build);
    try {
      log('Chromium, webgl: Conv2DBackpropFilter shapes of every conv model');
      const task = {
        task: 'filter-gradient',
        backend: 'webgl',
        model: 'cnn',
        batchSize: plan.batchSize,
        samples: plan.reps,
        seed: 1,
      } as const;
      const { adapter, result } = await browser.run(task, (line) => log(`  ${line}`));
      if (result.task !== 'filter-gradient') throw new Error('the bench page answered a different task');
      results.push({ where: `Chromium ${browser.version}, ${adapter ?? 'webgl'}`, ...result.result });
    } finally {
      await browser.close();
    }
  }
  const markdown = results.map((r) => filterGradientMarkdown(r, r.where)).join('\n');
  await mkdir(outDir, { recursive: true });
  const stem = join(outDir, `filter-gradient-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await writeFile(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(`${stem}.md`, markdown);
  process.stdout.write(markdown);
  log(`Wrote ${stem}.json and ${stem}.md`);
  return 0;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let plan: BenchPlan | 'help';
  try {
    plan = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    log(`bench: ${e.message}`);
    return 2;
  }
  if (plan === 'help') {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  if (plan.filterGradient) return filterGradientRun(plan.filterGradient, plan.build, plan.outDir);
  const record = await runPlan(plan, ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '));
  const markdown = markdownReport(record);
  await mkdir(plan.outDir, { recursive: true });
  const stem = join(plan.outDir, `bench-${record.createdAt.replace(/[:.]/g, '-')}`);
  await writeFile(`${stem}.json`, `${JSON.stringify(record, null, 2)}\n`);
  await writeFile(`${stem}.md`, markdown);
  process.stdout.write(markdown);
  log(`Wrote ${stem}.json and ${stem}.md`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
