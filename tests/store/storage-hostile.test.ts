/**
 * Storage that fails or holds damaged entries: stored runs are checked one by one, failed
 * saves are retried and reported, and a dataset the browser will not store stays usable.
 */
import { describe, expect, it } from 'vitest';
import { memoryPersistence } from '../../src/store/persistence';
import type { StoredRun } from '../../src/store/runs';
import { datasetSourceFor, startBlockers } from '../../src/store/selectors';
import type { DatasetSummary } from '../../src/worker/protocol';
import { QUERY, settle, setup } from '../ui/app-harness';
import { runRecord } from '../ui/helpers';

const stored = (id: string, createdAt?: string): StoredRun => {
  const record = runRecord({ id, ...(createdAt ? { createdAt } : {}) });
  return { record, color: '#1f5fae', imported: false, stepLosses: [1, 2] };
};

async function hydrated(t: ReturnType<typeof setup>) {
  for (let i = 0; i < 20 && !t.state.hydrated; i++) await settle();
}

describe('stored runs are checked on hydration', () => {
  it('one run without createdAt is skipped with a notice; the others are shown', async () => {
    const p = memoryPersistence();
    p.data.set('good', stored('good'));
    const bad = stored('bad');
    delete (bad.record as unknown as Record<string, unknown>).createdAt;
    p.data.set('bad', bad);
    p.data.set('junk', 'not a run' as unknown as StoredRun);
    const t = setup(QUERY, p);
    await hydrated(t);
    expect(t.state.order).toEqual(['good']);
    expect(t.state.stepLosses.good).toEqual([1, 2]);
    expect(t.state.alerts.map((a) => a.message)).toContain(
      '2 stored runs could not be read and were skipped (record.createdAt: expected a string, got nothing (the key is missing); …).',
    );
  });
});

describe('failed saves are reported and retried', () => {
  it('each time storage starts failing it says so; runs that failed to save are written with the next save', async () => {
    const p = memoryPersistence();
    const putMany = p.putMany.bind(p);
    let failing = true;
    p.putMany = async (runs) => {
      if (failing) throw new Error('QuotaExceededError');
      return putMany(runs);
    };
    const t = setup(QUERY, p);
    await hydrated(t);
    t.app.importText(JSON.stringify(runRecord({ id: 'one' })));
    await settle();
    t.app.importText(JSON.stringify(runRecord({ id: 'two' })));
    await settle();
    const failures = () => t.state.alerts.filter((a) => a.message.startsWith('Runs cannot be saved')).length;
    expect(failures()).toBe(1);
    expect(p.data.size).toBe(0);
    failing = false;
    t.app.importText(JSON.stringify(runRecord({ id: 'three' })));
    await settle();
    expect([...p.data.keys()].sort()).toEqual(['one', 'three', 'two']);
    expect(t.state.alerts.at(-1)?.message).toBe('Runs are being saved in this browser again; the ones that failed to save are now stored.');
    failing = true;
    t.app.importText(JSON.stringify(runRecord({ id: 'four' })));
    await settle();
    expect(failures()).toBe(2);
  });
});

describe('a dataset the browser will not store', () => {
  const summary = (over: Partial<DatasetSummary> = {}): DatasetSummary => ({
    name: 'cifar10',
    source: 'c.tar.gz',
    trainCount: 4,
    testCount: 2,
    classNames: [],
    height: 32,
    width: 32,
    channels: 3,
    samples: { images: new Uint8Array(0), labels: [] },
    ...over,
  });

  it('stays usable from memory, with a notice that it is not stored; loader notes are shown', async () => {
    const t = setup('?dataset=cifar10&model=linear&epochs=1&batch-size=2');
    await hydrated(t);
    t.app.loadFiles([new File([new Uint8Array(4)], 'c.tar.gz')]);
    const requestId = (t.worker.sent.at(-1) as { requestId: string }).requestId;
    t.worker.emit({
      type: 'dataset-ready',
      requestId,
      dataset: summary({ notStored: 'QuotaExceededError', notes: ['c.tar.gz: missing data_batch_2.bin.'] }),
    });
    t.worker.emit({
      type: 'datasets',
      cached: [{ name: 'cifar10', source: 'c.tar.gz', trainCount: 4, testCount: 2, bytes: 100, stored: false }],
    });
    t.app.flush();
    expect(datasetSourceFor(t.state, 'cifar10')).toEqual({ kind: 'cached', name: 'cifar10', source: 'c.tar.gz' });
    expect(startBlockers(t.state).join(' ')).not.toMatch(/dataset|CIFAR/i);
    const messages = t.state.alerts.map((a) => a.message);
    expect(messages).toContain('Dataset loaded with a note: c.tar.gz: missing data_batch_2.bin.');
    expect(messages).toContain(
      'c.tar.gz is loaded but could not be stored in this browser (QuotaExceededError); it can be used until the page is reloaded or another dataset is loaded.',
    );
  });

  it('Cancel stops a load: the worker is told, the bar goes, and the late error is not an alert', async () => {
    const t = setup();
    await hydrated(t);
    t.app.loadUrl('http://example.test/cifar-10-binary.tar.gz');
    const requestId = t.state.datasets.load!.requestId;
    t.app.cancelLoad();
    expect(t.worker.sent.at(-1)).toEqual({ type: 'cancel-load', requestId });
    expect(t.state.datasets.load).toBeNull();
    const alerts = t.state.alerts.length;
    t.worker.emit({ type: 'dataset-error', requestId, message: 'cancelled', cancelled: true });
    t.app.flush();
    expect(t.state.alerts).toHaveLength(alerts);
  });
});
