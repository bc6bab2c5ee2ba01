import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { exportJson, parseImport } from '../../src/store/import-export';
import { defaultSettings, parseQuery, serializeQuery, settingErrors } from '../../src/store/settings';
import type { ToWorker } from '../../src/worker/protocol';
import { QUERY, REPORT, settle, setup } from '../ui/app-harness';

const starts = (sent: ToWorker[]) => sent.filter((m): m is Extract<ToWorker, { type: 'start' }> => m.type === 'start');

describe('the seeds setting', () => {
  it('is 1 by default, read from and written to the URL only when above 1, and 1 to 5', () => {
    expect(defaultSettings().seeds).toBe(1);
    expect(serializeQuery(defaultSettings())).not.toContain('seeds');
    const three = parseQuery('?seeds=3&seed=7').settings;
    expect(three).toMatchObject({ seeds: 3, seed: 7 });
    expect(serializeQuery(three)).toContain('seeds=3');
    expect(parseQuery(serializeQuery(three)).settings).toEqual(three);
    expect(settingErrors({ ...defaultSettings(), seeds: 6 }).seeds).toMatch(/1 to 5/);
    expect(settingErrors({ ...defaultSettings(), seeds: 0 }).seeds).toMatch(/1 to 5/);
    expect(settingErrors({ ...defaultSettings(), seed: 2 ** 32 - 2, seeds: 3 }).seeds).toMatch(/below 2³²/);
  });
});

describe('queueing a seed group', () => {
  it('Start queues one run per seed, differing only in the seed, grouped and named by seed', async () => {
    const t = setup(`${QUERY.replace('seed=1', 'seed=4')}&seeds=3`);
    t.worker.emit({ type: 'ready', backend: REPORT });
    const first = t.app.start();
    await settle();
    const sent = starts(t.worker.sent);
    expect(sent).toHaveLength(3);
    expect(sent.map((m) => m.config.seed)).toEqual([4, 5, 6]);
    const { seed: _a, ...config0 } = sent[0].config;
    for (const m of sent) {
      const { seed: _b, ...rest } = m.config;
      expect(rest).toEqual(config0);
    }
    const records = sent.map((m) => t.state.runs[m.runId].record);
    expect(first).toBe(sent[0].runId);
    expect(new Set(records.map((r) => r.group?.id)).size).toBe(1);
    expect(records[0].group?.name).toMatch(/ · 3 seeds$/);
    expect(records.map((r) => r.name.replace(/^.* · /, ''))).toEqual(['seed 4', 'seed 5', 'seed 6']);
    // The worker's record replaces the queued one when the run begins; the group stays.
    t.worker.emit({ type: 'run-started', runId: sent[0].runId, record: { ...records[0], group: undefined, environment: REPORT } });
    t.app.flush();
    expect(t.state.runs[sent[0].runId].record.group).toEqual(records[0].group);
  });

  it('the ablation with seeds queues each row as a group, and the baseline is a SAM run', () => {
    const t = setup(`${QUERY}&seeds=2`);
    const ids = t.app.runAblation();
    expect(ids).toHaveLength(10);
    const groups = new Map<string, number>();
    for (const id of ids) {
      const g = t.state.runs[id].record.group!;
      groups.set(g.name, (groups.get(g.name) ?? 0) + 1);
    }
    expect([...groups]).toEqual([
      ['SGD · 2 seeds', 2],
      ['SAM · 2 seeds', 2],
      ['ESAM-SWP · 2 seeds', 2],
      ['ESAM-SDS · 2 seeds', 2],
      ['ESAM · 2 seeds', 2],
    ]);
    expect(t.state.runs[t.state.baselineId!].record.config.optimizer.name).toBe('sam');
  });

  it('the grouping survives export and import', () => {
    const t = setup(`${QUERY}&seeds=2`);
    const first = t.app.start()!;
    const ids = t.state.order;
    const records = ids.map((id) => t.state.runs[id].record);
    const back = parseImport(exportJson(records));
    expect(back.map((r) => r.group)).toEqual(records.map((r) => r.group));
    expect(back[0].id).toBe(first);
  });
});
