import { test as base, expect, type ConsoleMessage } from '@playwright/test';

/**
 * Every e2e spec imports `test` and `expect` from here instead of '@playwright/test'.
 *
 * The automatic `consoleGuard` fixture records the page's console (dedicated workers included)
 * and uncaught errors, and fails the test afterwards when it saw
 *  - a WebGPU validation message (tfjs does not listen for `uncapturederror`, so an invalid
 *    pipeline only shows up as a console warning while the numbers silently go wrong),
 *  - an uncaught error in the page or in a worker,
 *  - a console error.
 * A test that provokes one of these on purpose claims it with `consoleGuard.take(pattern)`.
 */

export interface CollectedMessage {
  kind: 'console' | 'pageerror';
  /** console type ('log', 'warning', 'error', ...) or 'pageerror' */
  type: string;
  text: string;
  /** where it came from: the page, or the worker's script URL */
  source: string;
}

export interface ConsoleGuard {
  /** Everything seen so far (a copy). */
  readonly messages: CollectedMessage[];
  /** Removes and returns the messages whose text matches; they no longer fail the test. */
  take(pattern: RegExp): CollectedMessage[];
  /** Waits until a message matching `pattern` arrives (GPU errors are reported asynchronously). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<CollectedMessage[]>;
}

/** What Dawn/Chromium print for WebGPU validation failures. */
export const WEBGPU_VALIDATION = /Invalid|validation|exceeds the maximum/;

function describeSource(msg: ConsoleMessage): string {
  const worker = msg.worker();
  if (worker) return `worker ${worker.url()}`.trim();
  return `page ${msg.location().url}`.trim();
}

export function isFailure(m: CollectedMessage): boolean {
  return m.kind === 'pageerror' || m.type === 'error' || WEBGPU_VALIDATION.test(m.text);
}

export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ page }, use, testInfo) => {
      const seen: CollectedMessage[] = [];
      page.on('console', (msg) => {
        seen.push({ kind: 'console', type: msg.type(), text: msg.text(), source: describeSource(msg) });
      });
      page.on('pageerror', (err) => {
        seen.push({ kind: 'pageerror', type: 'pageerror', text: err.stack || String(err), source: 'page' });
      });
      // Chromium reports a worker's WebGPU errors (and other non-console-API messages, such as
      // its network errors) only through the page's Log domain with source 'worker', and
      // Playwright drops those entries. Listen to them ourselves. A worker's console.* calls
      // arrive twice (here and through 'console'); that only ever doubles a failure.
      const cdp = await page.context().newCDPSession(page);
      cdp.on('Log.entryAdded', ({ entry }) => {
        if (entry.source !== 'worker') return;
        const type = entry.level === 'verbose' ? 'debug' : entry.level;
        seen.push({ kind: 'console', type, text: entry.text, source: `worker ${entry.url ?? ''}`.trim() });
      });
      await cdp.send('Log.enable');

      const guard: ConsoleGuard = {
        get messages() {
          return seen.slice();
        },
        take(pattern) {
          const taken = seen.filter((m) => pattern.test(m.text));
          for (const m of taken) seen.splice(seen.indexOf(m), 1);
          return taken;
        },
        async waitFor(pattern, timeoutMs = 30_000) {
          await expect
            .poll(() => seen.some((m) => pattern.test(m.text)), {
              message: `a console message matching ${pattern}`,
              timeout: timeoutMs,
            })
            .toBe(true);
          return seen.filter((m) => pattern.test(m.text));
        },
      };

      await use(guard);
      await cdp.detach().catch(() => {});

      if (seen.length > 0) {
        await testInfo.attach('console.txt', {
          body: seen.map((m) => `[${m.type}] (${m.source}) ${m.text}`).join('\n'),
          contentType: 'text/plain',
        });
      }
      const failures = seen.filter(isFailure);
      expect(
        failures.map((m) => `[${m.type}] (${m.source}) ${m.text}`),
        'WebGPU validation messages, uncaught errors or console errors during the test',
      ).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
