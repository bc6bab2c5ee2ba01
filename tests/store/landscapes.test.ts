import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LANDSCAPE_FORMAT, type LandscapeRecord } from '../../src/engine/landscape/record';
import type { ModelWeights } from '../../src/engine/weights';
import { LANDSCAPES_FORMAT } from '../../src/store/landscapes';
import { openRunPersistence } from '../../src/store/persistence';
import type { ToWorker } from '../../src/worker/protocol';
import { REPORT, settle, setup } from '../ui/app-harness';
import { epochRecord } from '../ui/helpers';

const WEIGHTS: ModelWeights = {
  model: 'linear',
  params: [{ name: 'dense0/kernel', shape: [2, 1], data: new Float32Array([1, 2]) }],
  state: [],
};
const SUMMARY = { finalTestAcc: 0.5, bestTestAcc: 0.5, imagesPerSec: 10, totalSeconds: 4 };

function record(id: string, runId: string): LandscapeRecord {
  return {
    format: LANDSCAPE_FORMAT,
    id,
    runId,
    runName: 'run',
    createdAt: '2026-02-03T04:05:06.000Z',
    options: { kind: 'random', resolution: 5, span: 1, seed: 0, probe: 'train', probeSize: 64 },
    probeCount: 64,
    coords: [-1, -0.5, 0, 0.5, 1],
    loss: Array.from({ length: 5 }, () => [1, 2, 3, 4, 5]),
    accuracy: Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]),
    originLoss: 3,
    seconds: 1,
  };
}

/** A page whose one run has finished and sent its weights. */
async function finishedRun(persistence?: Awaited<ReturnType<typeof openRunPersistence>>) {
  const t = persistence ? setup(undefined, persistence as never) : setup();
  t.worker.emit({ type: 'ready', backend: REPORT });
  await settle();
  const runId = t.app.start()!;
  t.worker.emit({
    type: 'epoch',
    runId,
    epoch: epochRecord(1),
    summary: SUMMARY,
    warnings: [],
    probeBPlus: [],
    memory: { numTensors: 1, numBytes: 1, numBytesInGPU: null },
  });
  t.worker.emit({ type: 'weights', runId, weights: WEIGHTS });
  t.worker.emit({ type: 'done', runId, status: 'completed', error: null, summary: SUMMARY });
  t.runTimers();
  await settle();
  await settle();
  return { t, runId };
}

const landscapeMessages = (sent: ToWorker[]) => sent.filter((m): m is Extract<ToWorker, { type: 'landscape' }> => m.type === 'landscape');

describe('loss landscapes in the page', () => {
  it('keeps a finished run’s weights and sends them with the run’s config for a landscape', async () => {
    const { t, runId } = await finishedRun();
    expect(t.state.landscapes.weights).toEqual([runId]);
    expect(await t.persistence.getWeights(runId)).toEqual(WEIGHTS);
    t.app.setLandscapeOptions({ resolution: 5, probeSize: 64 });
    const [jobId] = await t.app.computeLandscapes([runId]);
    const [sent] = landscapeMessages(t.worker.sent);
    expect(sent).toMatchObject({
      requestId: jobId,
      run: { id: runId, config: t.state.runs[runId].record.config },
      weights: WEIGHTS,
      dataset: { kind: 'synthetic' },
    });
    expect(sent.options).toMatchObject({ resolution: 5, probeSize: 64 });
    expect(t.state.landscapes.jobs).toMatchObject([{ id: jobId, runId, done: 0, total: 0 }]);

    t.worker.emit({ type: 'landscape-progress', requestId: jobId, done: 10, total: 25 });
    t.runTimers();
    expect(t.state.landscapes.jobs[0]).toMatchObject({ done: 10, total: 25 });
    t.worker.emit({ type: 'landscape-done', requestId: jobId, record: record(jobId, runId) });
    await settle();
    expect(t.state.landscapes.jobs).toEqual([]);
    expect(t.state.landscapes.records.map((r) => r.id)).toEqual([jobId]);
    expect(t.state.landscapes.shown).toEqual([jobId]);
    expect([...t.persistence.landscapes.keys()]).toEqual([jobId]);

    const out = t.app.exportLandscapes()!;
    expect(JSON.parse(out.json)).toEqual({ format: LANDSCAPES_FORMAT, landscapes: [record(jobId, runId)] });
    t.app.deleteLandscape(jobId);
    await settle();
    expect(t.state.landscapes.records).toEqual([]);
    expect(t.persistence.landscapes.size).toBe(0);
    expect(t.app.exportLandscapes()).toBeNull();
  });

  it('refuses runs without weights and bad options, with the reason, and sends nothing', async () => {
    const { t, runId } = await finishedRun();
    const other = t.app.start()!;
    expect(t.app.landscapeBlocker(other)).toMatch(/keep their weights/);
    t.app.setLandscapeOptions({ resolution: 4 });
    expect(t.app.landscapeBlocker(runId)).toMatch(/resolution must be an odd integer/);
    expect(await t.app.computeLandscapes([runId, other])).toEqual([]);
    expect(landscapeMessages(t.worker.sent)).toEqual([]);
    expect(t.state.alerts.map((a) => a.message).join('\n')).toMatch(/resolution must be an odd integer[\s\S]*keep their weights/);
  });

  it('a failed landscape is reported, a cancelled one is not, and a deleted run loses its weights', async () => {
    const { t, runId } = await finishedRun();
    const [a, b] = [...(await t.app.computeLandscapes([runId])), ...(await t.app.computeLandscapes([runId]))];
    t.app.cancelLandscape(b);
    expect(t.worker.sent.at(-1)).toEqual({ type: 'cancel-landscape', requestId: b });
    t.worker.emit({ type: 'landscape-error', requestId: b, message: 'cancelled', cancelled: true });
    t.worker.emit({ type: 'landscape-error', requestId: a, message: 'the GPU device was lost', cancelled: false });
    expect(t.state.landscapes.jobs).toEqual([]);
    expect(t.state.alerts.map((a) => a.message)).toEqual([expect.stringMatching(/Landscape of “.*” failed: the GPU device was lost/)]);
    t.app.deleteRun(runId);
    await settle();
    expect(t.state.landscapes.weights).toEqual([]);
    expect(t.persistence.weights.size).toBe(0);
  });

  it('weights and landscapes survive a reload (IndexedDB)', async () => {
    const db = `landscapes-${Math.random()}`;
    const { t, runId } = await finishedRun(await openRunPersistence(db));
    const [jobId] = await t.app.computeLandscapes([runId]);
    t.worker.emit({ type: 'landscape-done', requestId: jobId, record: record(jobId, runId) });
    await settle();
    await new Promise((r) => setTimeout(r, 50));
    t.app.dispose();

    const again = setup(undefined, (await openRunPersistence(db)) as never);
    for (let i = 0; i < 20 && !again.state.hydrated; i++) await new Promise((r) => setTimeout(r, 10));
    expect(again.state.landscapes.weights).toEqual([runId]);
    expect(again.state.landscapes.records.map((r) => r.id)).toEqual([jobId]);
    expect(again.state.landscapes.shown).toEqual([jobId]);
    again.worker.emit({ type: 'ready', backend: REPORT });
    await settle();
    expect(await again.app.computeLandscapes([runId])).toHaveLength(1);
    expect(landscapeMessages(again.worker.sent)[0].weights.params[0].data).toEqual(new Float32Array([1, 2]));
  });
});
