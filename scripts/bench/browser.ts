/** Chromium side of the benchmark: the built app served by vite preview, driven by Playwright. */
import { chromium, type Browser, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../e2e/chromium';
import { benchTaskQuery, type BenchResult, type BenchState, type BenchTask } from '../../src/bench/tasks';
import { longMainThreadTasks, TASK_TRACE_CATEGORIES, type TracedTask } from './trace';

export interface LongTaskReport {
  /** Long tasks (over 50 ms by the browser's definition) from Start to the end of the run. */
  count: number;
  maxMs: number;
  durationsMs: number[];
  runSeconds: number;
  /**
   * The same span's main-thread tasks over 50 ms wall-clock from Chromium's trace, with the
   * thread's CPU time for each: what of a long task was the page's work, not a wait for a core.
   * Absent from records written before it was measured.
   */
  traced?: TracedTask[];
}

export interface BrowserBench {
  /** Chromium's version string. */
  version: string;
  run(task: BenchTask, log: (line: string) => void): Promise<{ adapter: string | null; result: BenchResult }>;
  longTasks(query: string, log: (line: string) => void): Promise<LongTaskReport>;
  close(): Promise<void>;
}

const PORT = 4174;
const HOUR = 3_600_000;

export async function openBrowserBench(buildFirst: boolean): Promise<BrowserBench> {
  if (buildFirst) await build({ logLevel: 'error' });
  const server: PreviewServer = await preview({ preview: { port: PORT, strictPort: true }, logLevel: 'warn' });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS, headless: true });
  } catch (e) {
    await server.close();
    throw e;
  }
  const base = `http://localhost:${PORT}`;

  async function withPage<T>(f: (page: Page) => Promise<T>): Promise<T> {
    const page = await browser.newPage();
    page.setDefaultTimeout(HOUR);
    try {
      return await f(page);
    } finally {
      await page.close();
    }
  }

  return {
    version: browser.version(),
    run: (task, log) =>
      withPage(async (page) => {
        await page.goto(`${base}/bench.html?${benchTaskQuery(task)}`);
        let shown = '';
        for (;;) {
          const state = await page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench);
          if (state.status === 'done' && state.result) return { adapter: state.backend, result: state.result };
          if (state.status === 'error') throw new Error(`bench page (${benchTaskQuery(task)}): ${state.error}`);
          if (state.progress !== shown) log((shown = state.progress));
          await page.waitForTimeout(500);
        }
      }),

    longTasks: (query, log) =>
      withPage(async (page) => {
        // Completion is seen through the worker's own 'done' message, polled once a second:
        // Playwright's text locators scan the whole DOM on every poll and would add long tasks
        // of their own.
        await page.addInitScript(() => {
          const w = window as unknown as { __longTasks: number[]; __measuring: boolean; __runDone: boolean };
          w.__longTasks = [];
          w.__measuring = false;
          w.__runDone = false;
          new PerformanceObserver((list) => {
            if (w.__measuring) for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
          }).observe({ type: 'longtask' });
          const NativeWorker = window.Worker;
          window.Worker = class extends NativeWorker {
            constructor(url: string | URL, options?: WorkerOptions) {
              super(url, options);
              this.addEventListener('message', (e: MessageEvent<{ type: string }>) => {
                if (e.data.type === 'done') w.__runDone = true;
              });
            }
          };
        });
        await page.goto(`${base}/?${query}`);
        await page.waitForFunction(() =>
          Array.from(document.querySelectorAll('button')).some((b) => b.textContent?.trim() === 'Start' && !b.disabled),
        );
        await browser.startTracing(page, { categories: TASK_TRACE_CATEGORIES });
        const t0 = Date.now();
        // Clicked from inside the page: a Playwright locator's role query and actionability
        // checks run in the page too, and on this large page they would be a long task of their own.
        await page.evaluate(() => {
          (window as unknown as { __measuring: boolean }).__measuring = true;
          const start = Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Start' && !b.disabled);
          if (!start) throw new Error('no enabled Start button');
          start.click();
        });
        log('run started in the app; waiting for it to complete');
        await page.waitForFunction(() => (window as unknown as { __runDone: boolean }).__runDone, null, { polling: 1000, timeout: HOUR });
        // Let the last epoch's charts settle before reading.
        await page.waitForTimeout(2000);
        const durations = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
        const runSeconds = (Date.now() - t0) / 1000;
        const traced = longMainThreadTasks(
          JSON.parse((await browser.stopTracing()).toString()) as Parameters<typeof longMainThreadTasks>[0],
          50,
        );
        return { count: durations.length, maxMs: Math.max(0, ...durations), durationsMs: durations, runSeconds, traced };
      }),

    async close() {
      await browser.close();
      await server.close();
    },
  };
}
