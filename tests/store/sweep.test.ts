import { describe, expect, it } from 'vitest';
import type { ToWorker } from '../../src/worker/protocol';
import { secondsPerEpoch } from '../../src/store/compare';
import { restoreRuns } from '../../src/store/runs';
import { parseQuery } from '../../src/store/settings';
import {
  DEFAULT_SWEEP,
  planSweep,
  sweepErrors,
  sweepGroups,
  sweepPoints,
  sweepProgress,
  sweepValues,
  SWEEP_FORMAT,
} from '../../src/store/sweep';
import { QUERY, REPORT, settle, setup } from '../ui/app-harness';
import { epochRecord } from '../ui/helpers';

const PAPER_GRID = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

describe('sweep planning', () => {
  it('the paper’s grid is 0.3 to 0.9 in steps of 0.1, without floating-point drift', () => {
    expect(sweepValues(0.3, 0.9, 0.1)).toEqual(PAPER_GRID);
    expect(sweepValues(0.5, 0.5, 0.1)).toEqual([0.5]);
    expect(sweepValues(0.9, 0.3, 0.1)).toEqual([]);
  });

  it('queues exactly the grid: ESAM-SWP per β, ESAM-SDS per γ, the references first', () => {
    const { settings } = parseQuery(QUERY);
    const runs = planSweep(settings, { params: ['beta', 'gamma'], from: 0.3, to: 0.9, step: 0.1, references: true }, 's', 'Sweep 1');
    expect(runs.map((r) => r.tag.role)).toEqual(['sgd', 'sam', 'esam', ...PAPER_GRID.map(() => 'beta'), ...PAPER_GRID.map(() => 'gamma')]);
    const betas = runs.filter((r) => r.tag.role === 'beta');
    expect(betas.map((r) => r.settings.beta)).toEqual(PAPER_GRID);
    expect(betas.every((r) => r.settings.optimizer === 'esam' && r.settings.swp && !r.settings.sds)).toBe(true);
    const gammas = runs.filter((r) => r.tag.role === 'gamma');
    expect(gammas.map((r) => r.settings.gamma)).toEqual(PAPER_GRID);
    expect(gammas.every((r) => r.settings.optimizer === 'esam' && r.settings.sds && !r.settings.swp)).toBe(true);
    expect(runs.slice(0, 3).map((r) => r.settings.optimizer)).toEqual(['sgd', 'sam', 'esam']);
    // Same data, model and seed everywhere.
    for (const r of runs) {
      expect([r.settings.dataset, r.settings.model, r.settings.seed, r.settings.epochs]).toEqual([
        settings.dataset,
        settings.model,
        settings.seed,
        settings.epochs,
      ]);
    }
    expect(planSweep(settings, { ...DEFAULT_SWEEP, references: false }, 's', 'S').map((r) => r.tag.value)).toEqual(PAPER_GRID);
  });

  it('refuses grids it cannot run, naming the problem', () => {
    const ok = { params: ['gamma' as const], from: 0.3, to: 0.9, step: 0.1, references: false };
    expect(sweepErrors(ok, 16)).toEqual([]);
    expect(sweepErrors({ ...ok, params: [] }, 16)[0]).toMatch(/Choose β, γ or both/);
    expect(sweepErrors({ ...ok, to: 1 }, 16)[0]).toMatch(/inside \(0, 1\)/);
    expect(sweepErrors({ ...ok, step: 0 }, 16)[0]).toMatch(/step must be > 0/);
    expect(sweepErrors({ ...ok, from: 0.8, to: 0.4 }, 16)[0]).toMatch(/below/);
    expect(sweepErrors({ ...ok, from: 0.01, to: 0.9, step: 0.01 }, 16).join(' ')).toMatch(/more than 20 values/);
    expect(sweepErrors({ ...ok, from: 0.05 }, 16).join(' ')).toMatch(/selects no sample of a batch of 16/);
  });
});

describe('a sweep in the page', () => {
  async function started() {
    const t = setup();
    t.worker.emit({ type: 'ready', backend: REPORT });
    await settle();
    t.app.setSweepSpec({ params: ['beta'], from: 0.3, to: 0.5, step: 0.1, references: true });
    const ids = t.app.startSweep();
    return { t, ids };
  }

  it('sends one start per planned run, each an ordinary run tagged with the sweep', async () => {
    const { t, ids } = await started();
    const starts = t.worker.sent.filter((m): m is Extract<ToWorker, { type: 'start' }> => m.type === 'start');
    expect(starts.map((m) => m.runId)).toEqual(ids);
    expect(starts.map((m) => [m.config.optimizer.name, m.config.optimizer.swp, m.config.optimizer.beta])).toEqual([
      ['sgd', false, 1],
      ['sam', false, 1],
      ['esam', true, 0.6],
      ['esam', true, 0.3],
      ['esam', true, 0.4],
      ['esam', true, 0.5],
    ]);
    expect(ids.every((id) => t.state.order.includes(id) && t.state.selected.includes(id))).toBe(true);
    const [group] = sweepGroups(t.state.order, t.state.runs);
    expect(group.name).toBe('Sweep 1');
    expect(group.entries.map((e) => e.sweep?.value)).toEqual([null, null, null, 0.3, 0.4, 0.5]);
  });

  it('reports progress across the whole sweep and stops every live run', async () => {
    const { t, ids } = await started();
    t.worker.emit({
      type: 'done',
      runId: ids[0],
      status: 'completed',
      error: null,
      summary: { finalTestAcc: 0.5, bestTestAcc: 0.5, imagesPerSec: 10, totalSeconds: 4 },
    });
    t.worker.emit({ type: 'progress', runId: ids[1], epoch: 2, step: 2, steps: 4, recentLosses: [1], etaSeconds: 1 });
    t.runTimers();
    const [group] = sweepGroups(t.state.order, t.state.runs);
    const p = sweepProgress(group, t.state.progress);
    expect(p).toMatchObject({ total: 6, finished: 1, live: 5 });
    expect(p.fraction).toBeCloseTo((1 + 0.75) / 6, 10);
    t.worker.sent.length = 0;
    t.app.stopSweep(group.id);
    expect(t.worker.sent).toEqual(ids.slice(1).map((runId) => ({ type: 'stop', runId })));
  });

  it('plots finished runs as Fig. 3 points, exports the sweep, and keeps the tag across a reload', async () => {
    const { t, ids } = await started();
    const epochs = [epochRecord(1, { seconds: 9 }), epochRecord(2, { seconds: 3, testAcc: 0.7 })];
    for (const [i, id] of ids.entries()) {
      for (const e of epochs)
        t.worker.emit({
          type: 'epoch',
          runId: id,
          epoch: e,
          summary: { finalTestAcc: 0.7 - i / 100, bestTestAcc: 0.7, imagesPerSec: 10, totalSeconds: 12 },
          warnings: [],
          probeBPlus: [],
          memory: { numTensors: 1, numBytes: 1, numBytesInGPU: null },
        });
      t.worker.emit({
        type: 'done',
        runId: id,
        status: 'completed',
        error: null,
        summary: { finalTestAcc: 0.7 - i / 100, bestTestAcc: 0.7, imagesPerSec: 10, totalSeconds: 12 },
      });
    }
    t.runTimers();
    await settle();
    const [group] = sweepGroups(t.state.order, t.state.runs);
    const points = sweepPoints(group, secondsPerEpoch);
    expect(points.map((p) => [p.role, p.value, p.secondsPerEpoch])).toEqual([
      ['sgd', null, 3],
      ['sam', null, 3],
      ['esam', null, 3],
      ['beta', 0.3, 3],
      ['beta', 0.4, 3],
      ['beta', 0.5, 3],
    ]);
    expect(points[3].testAcc).toBeCloseTo(0.67, 10);
    const out = t.app.exportSweep(group.id)!;
    const parsed = JSON.parse(out.json);
    expect(parsed.format).toBe(SWEEP_FORMAT);
    expect(parsed.points.map((p: { runId: string }) => p.runId)).toEqual(ids);
    expect(parsed.runs).toHaveLength(6);
    expect(out.fileName).toBe('esam-playground-sweep-1.json');

    const restored = restoreRuns(await t.persistence.loadAll()).state;
    expect(sweepGroups(restored.order, restored.runs)[0].entries.map((e) => e.sweep?.role)).toEqual([
      'sgd',
      'sam',
      'esam',
      'beta',
      'beta',
      'beta',
    ]);
  });

  it('a second sweep gets its own name and a sweep the settings block queues nothing', async () => {
    const { t } = await started();
    expect(t.app.startSweep()).toHaveLength(6);
    expect(sweepGroups(t.state.order, t.state.runs).map((g) => g.name)).toEqual(['Sweep 1', 'Sweep 2']);
    t.app.setSweepSpec({ step: -1 });
    const before = t.worker.sent.length;
    expect(t.app.sweepBlockers().join(' ')).toMatch(/step must be > 0/);
    expect(t.app.startSweep()).toEqual([]);
    expect(t.worker.sent.length).toBe(before);
  });
});
