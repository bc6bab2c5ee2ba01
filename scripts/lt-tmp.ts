import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium';
const server = await preview({ preview: { port: 4175, strictPort: true }, logLevel: 'error' });
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
const page = await browser.newPage();
await page.addInitScript(() => {
  const w = window as any; w.__ev = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__ev.push(['LONG', Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask' });
  const N = window.Worker;
  window.Worker = class extends N { constructor(u: any, o: any) { super(u, o); this.addEventListener('message', (e: any) => { w.__ev.push(['msg', Math.round(performance.now()), e.data.type]); if (e.data.type === 'done') w.__done = true; }); } } as any;
});
await page.goto('http://localhost:4175/?dataset=synthetic&model=linear&optimizer=esam&epochs=3&batch-size=32&train-size=256&test-size=64&seed=1&backend=cpu');
await page.waitForFunction(() => Array.from(document.querySelectorAll('button')).some((b) => b.textContent?.trim() === 'Start' && !b.disabled));
await page.evaluate(() => (window as any).__ev.push(['START', Math.round(performance.now())]));
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 500 }); await cdp.send('Profiler.start');
await page.getByRole('button', { name: 'Start', exact: true }).click();
await page.waitForFunction(() => (window as any).__done === true, null, { polling: 1000, timeout: 600000 });
const ev = await page.evaluate(() => (window as any).__ev);
const { profile } = await cdp.send('Profiler.stop') as any;
const byId = new Map<number, any>(); for (const n of profile.nodes) byId.set(n.id, n);
const parent = new Map<number, number>(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = profile.timeDeltas as number[];
// longest stretch of busy samples
let best = [0, 0], cur = -1;
let cum = 0;
profile.samples.forEach((id: number, i: number) => { cum += dt[i] ?? 0; if (cum < 1_500_000) return; if (byId.get(id).callFrame.functionName === '(idle)') { cur = -1; return; } if (cur < 0) cur = i; if (i - cur > best[1] - best[0]) best = [cur, i]; });
const incl = new Map<string, number>(); let total = 0;
for (let i = best[0]; i <= best[1]; i++) { const us = dt[i] ?? 0; total += us; const seen = new Set<string>(); let id: number | undefined = profile.samples[i];
  while (id !== undefined) { const cf = byId.get(id).callFrame; const key = `${cf.functionName || '(anon)'}|${cf.url.split('/').pop()}|${cf.lineNumber}|${cf.columnNumber}`; if (!seen.has(key)) { seen.add(key); incl.set(key, (incl.get(key) ?? 0) + us); } id = parent.get(id); } }
for (const e of ev) if (e[0] !== 'msg' || e[2] !== 'progress') console.log(e.join(' '));
console.log('stretch ms', (total / 1000).toFixed(0));
const { SourceMapConsumer } = await import('source-map-js');
const fs = await import('node:fs');
const maps = new Map<string, any>();
for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 400)) { const [fn, file, line, col] = k.split('|'); let where = `${file}:${line}`;
  if (file.endsWith('.js')) { const mp = `dist/assets/${file}.map`; if (fs.existsSync(mp)) { if (!maps.has(mp)) maps.set(mp, new SourceMapConsumer(JSON.parse(fs.readFileSync(mp, 'utf8')))); const o = maps.get(mp).originalPositionFor({ line: Number(line) + 1, column: Number(col) }); where = `${o.source?.split('node_modules/').pop()}:${o.line} ${o.name ?? ''}`; } }
  console.log((us / 1000).toFixed(0).padStart(6), fn.padEnd(24), where); }
await browser.close(); await server.close();
