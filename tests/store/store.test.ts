import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/engine/run-record';
import { memoryPersistence, openRunPersistence } from '../../src/store/persistence';
import { applyRunMessage, emptyRuns, restoreRuns, statusWords, addRun, queuedRecord } from '../../src/store/runs';
import { activeRun, startBlockers } from '../../src/store/selectors';
import { QUERY, REPORT, settle, setup } from '../ui/app-harness';
import { epochRecord, runRecord } from '../ui/helpers';

describe('run reducers', () => {
  const queued = () =>
    addRun(emptyRuns(), {
      record: queuedRecord('r', 'mine', '2026-01-01T00:00:00.000Z', runRecord().config, {
        backend: 'unknown',
        adapter: null,
        tfjsVersion: '',
        agent: 'x',
      }),
      color: '#1f5fae',
      phase: 'queued',
      imported: false,
    });

  it('run-started takes the resolved record but keeps the page’s name', () => {
    const started = runRecord({ id: 'r', name: 'worker name', status: 'running', epochs: [] }, 0);
    const { state, persist } = applyRunMessage(queued(), { type: 'run-started', runId: 'r', record: started });
    expect(state.runs.r.phase).toBe('running');
    expect(state.runs.r.record.name).toBe('mine');
    expect(state.runs.r.record.environment.backend).toBe('webgpu');
    expect(persist).toBe('r');
    expect(statusWords(state.runs.r)).toBe('running');
  });

  it('progress appends step losses and updates the bar without a write', () => {
    let s = queued();
    s = applyRunMessage(s, { type: 'progress', runId: 'r', epoch: 1, step: 2, steps: 4, recentLosses: [2.3, 2.2], etaSeconds: 9 }).state;
    const r = applyRunMessage(s, { type: 'progress', runId: 'r', epoch: 1, step: 4, steps: 4, recentLosses: [2.1, 2.0], etaSeconds: 5 });
    expect(r.state.stepLosses.r).toEqual([2.3, 2.2, 2.1, 2.0]);
    expect(r.state.progress.r).toMatchObject({ epoch: 1, step: 4, steps: 4, etaSeconds: 5 });
    expect(r.persist).toBeNull();
  });

  it('epoch appends (replacing a repeated epoch) and takes the summary and memory', () => {
    let s = queued();
    const memory = { numTensors: 12, numBytes: 3456, numBytesInGPU: 7890 };
    const e1 = epochRecord(1);
    const summary = summarize([e1], 64);
    s = applyRunMessage(s, { type: 'epoch', runId: 'r', epoch: e1, summary, warnings: [], probeBPlus: [], memory }).state;
    s = applyRunMessage(s, {
      type: 'epoch',
      runId: 'r',
      epoch: { ...e1, testAcc: 0.5 },
      summary,
      warnings: [],
      probeBPlus: [],
      memory,
    }).state;
    s = applyRunMessage(s, { type: 'epoch', runId: 'r', epoch: epochRecord(2), summary, warnings: [], probeBPlus: [], memory }).state;
    expect(s.runs.r.record.epochs.map((e) => [e.epoch, e.testAcc])).toEqual([
      [1, 0.5],
      [2, 0.24],
    ]);
    expect(s.runs.r.record.summary).toEqual(summary);
    expect(s.memory).toEqual(memory);
  });

  it('done ends the run with its status, error and summary', () => {
    let s = applyRunMessage(queued(), {
      type: 'run-started',
      runId: 'r',
      record: runRecord({ id: 'r', status: 'running', epochs: [] }, 0),
    }).state;
    s = applyRunMessage(s, { type: 'progress', runId: 'r', epoch: 1, step: 1, steps: 4, recentLosses: [NaN], etaSeconds: null }).state;
    s = applyRunMessage(s, { type: 'done', runId: 'r', status: 'diverged', error: 'loss became NaN', summary: summarize([], 0) }).state;
    expect(s.runs.r.phase).toBe('finished');
    expect(statusWords(s.runs.r)).toBe('diverged');
    expect(s.runs.r.record.error).toBe('loss became NaN');
    expect(s.progress.r).toBeUndefined();
  });

  it('a queued run stopped before it began ends stopped; paused shows as paused', () => {
    expect(statusWords(queued().runs.r)).toBe('queued');
    const stopped = applyRunMessage(queued(), {
      type: 'done',
      runId: 'r',
      status: 'stopped',
      error: null,
      summary: summarize([], 0),
    }).state;
    expect(statusWords(stopped.runs.r)).toBe('stopped');
    let s = applyRunMessage(queued(), { type: 'run-started', runId: 'r', record: runRecord({ id: 'r', status: 'running' }, 0) }).state;
    s = applyRunMessage(s, { type: 'paused', runId: 'r', paused: true }).state;
    expect(statusWords(s.runs.r)).toBe('paused');
    s = applyRunMessage(s, { type: 'paused', runId: 'r', paused: false }).state;
    expect(statusWords(s.runs.r)).toBe('running');
  });

  it('messages about unknown runs change nothing', () => {
    const s = emptyRuns();
    expect(
      applyRunMessage(s, {
        type: 'epoch',
        runId: 'x',
        epoch: epochRecord(1),
        summary: summarize([], 0),
        warnings: [],
        probeBPlus: [],
        memory: { numTensors: 0, numBytes: 0, numBytesInGPU: null },
      }).state,
    ).toBe(s);
  });

  it('runs cut off by a reload come back interrupted with their completed epochs', () => {
    const stored = [
      {
        record: runRecord({ id: 'b', status: 'running', createdAt: '2026-01-02T00:00:00.000Z' }, 1),
        color: '#d1495b',
        imported: false,
        stepLosses: [2, 1.9],
      },
      { record: runRecord({ id: 'a', status: 'completed' }, 2), color: '#1f5fae', imported: false, stepLosses: [] },
    ];
    const { state, changed } = restoreRuns(stored);
    expect(state.order).toEqual(['a', 'b']);
    expect(state.runs.b.record.status).toBe('interrupted');
    expect(state.runs.b.record.epochs).toHaveLength(1);
    expect(state.stepLosses.b).toEqual([2, 1.9]);
    expect(state.runs.a.record.status).toBe('completed');
    expect(changed).toEqual(['b']);
  });
});

describe('the controller', () => {
  it('initialises the backend from the URL and writes the full config back with replaceState', () => {
    const t = setup(`${QUERY}&backend=webgl`);
    expect(t.worker.sent[0]).toEqual({ type: 'init', backend: 'webgl' });
    expect(t.urls[0]).toContain('beta=0.6');
    expect(t.urls[0]).toContain('swp=1');
    t.app.setSetting('beta', 0.5);
    expect(t.urls.at(-1)).toContain('beta=0.5');
  });

  it('holds a start until the worker is ready, then sends it with the synthetic dataset', () => {
    const t = setup();
    const id = t.app.start()!;
    expect(t.worker.sent.some((m) => m.type === 'start')).toBe(false);
    expect(t.state.runs[id].phase).toBe('queued');
    expect(t.state.selected).toContain(id);
    t.worker.emit({ type: 'ready', backend: REPORT });
    const start = t.worker.sent.find((m) => m.type === 'start');
    expect(start).toMatchObject({
      type: 'start',
      runId: id,
      dataset: { kind: 'synthetic' },
      config: { model: 'linear', batchSize: 16, epochs: 2 },
    });
    expect(t.state.backend.report?.description).toMatch(/WebGPU/);
  });

  it('blocks Start with reasons: a bad value, text that is no number, a dataset not loaded', () => {
    const t = setup(`${QUERY.replace('beta=0.6', 'beta=0')}`);
    expect(t.state.notices[0]).toMatch(/beta=0 was ignored/);
    expect(startBlockers(t.state)).toEqual([]);
    t.app.setText('beta', '0');
    expect(startBlockers(t.state)).toEqual([expect.stringMatching(/β \(SWP\) must be in \(0, 1\]/)]);
    expect(t.app.start()).toBeNull();
    t.app.setText('beta', '0.6');
    expect(startBlockers(t.state)).toEqual([]);
    t.app.setText('lr', '0.1.2');
    expect(startBlockers(t.state)[0]).toMatch(/Learning rate: “0.1.2” is not a number/);
    t.app.setText('lr', '0.1');
    t.app.setSetting('dataset', 'cifar10');
    expect(startBlockers(t.state)[0]).toMatch(/CIFAR-10 is not loaded/);
    t.worker.emit({
      type: 'datasets',
      cached: [{ name: 'cifar10', source: 'cifar-10-binary.tar.gz', trainCount: 50000, testCount: 10000, bytes: 1 }],
    });
    expect(startBlockers(t.state)).toEqual([]);
  });

  it('applies frequent messages in batches, writes epochs to storage as they arrive', async () => {
    const t = setup();
    t.worker.emit({ type: 'ready', backend: REPORT });
    const id = t.app.start()!;
    await settle();
    t.worker.emit({ type: 'run-started', runId: id, record: { ...t.state.runs[id].record, environment: REPORT } });
    t.worker.emit({ type: 'progress', runId: id, epoch: 1, step: 2, steps: 4, recentLosses: [2.3, 2.2], etaSeconds: 3 });
    expect(t.state.stepLosses[id]).toEqual([]);
    t.runTimers();
    expect(t.state.stepLosses[id]).toEqual([2.3, 2.2]);
    const e1 = epochRecord(1);
    t.worker.emit({
      type: 'epoch',
      runId: id,
      epoch: e1,
      summary: summarize([e1], 64),
      warnings: [],
      probeBPlus: [],
      memory: { numTensors: 5, numBytes: 10, numBytesInGPU: null },
    });
    t.app.flush();
    await settle();
    expect(t.persistence.data.get(id)?.record.epochs).toHaveLength(1);
    expect(t.persistence.data.get(id)?.stepLosses).toEqual([2.3, 2.2]);
    expect(activeRun(t.state)?.record.id).toBe(id);
    t.app.pause();
    expect(t.worker.sent.at(-1)).toEqual({ type: 'pause', runId: id });
    t.worker.emit({ type: 'done', runId: id, status: 'failed', error: 'the GPU device was lost', summary: summarize([e1], 64) });
    expect(t.state.runs[id].record.status).toBe('failed');
    expect(t.state.alerts.at(-1)?.message).toMatch(/failed: the GPU device was lost/);
  });

  it('an epoch’s warnings are kept with the run, stored, and said in an alert', async () => {
    const t = setup();
    t.worker.emit({ type: 'ready', backend: REPORT });
    const id = t.app.start()!;
    await settle();
    t.worker.emit({ type: 'run-started', runId: id, record: { ...t.state.runs[id].record, environment: REPORT } });
    const e2 = epochRecord(2);
    const warning = {
      kind: 'unstable' as const,
      reason: 'stuck-high' as const,
      epoch: 2,
      message: 'Unstable: the training loss stayed above 3.45.',
    };
    t.worker.emit({
      type: 'epoch',
      runId: id,
      epoch: e2,
      summary: summarize([e2], 64),
      warnings: [warning],
      probeBPlus: [],
      memory: { numTensors: 5, numBytes: 10, numBytesInGPU: null },
    });
    t.app.flush();
    await settle();
    expect(t.state.runs[id].record.warnings).toEqual([warning]);
    expect(t.persistence.data.get(id)?.record.warnings).toEqual([warning]);
    expect(t.state.alerts.at(-1)?.message).toBe(`Run “${t.state.runs[id].record.name}”: Unstable: the training loss stayed above 3.45.`);
  });

  it('the ablation queues the five rows of Table 3 with the same data, model and seed', () => {
    const t = setup();
    const ids = t.app.runAblation();
    expect(ids.map((id) => t.state.runs[id].record.name)).toEqual(['SGD', 'SAM', 'ESAM-SWP', 'ESAM-SDS', 'ESAM']);
    const configs = ids.map((id) => t.state.runs[id].record.config);
    expect(configs.map((c) => [c.optimizer.name, c.optimizer.swp, c.optimizer.sds])).toEqual([
      ['sgd', false, false],
      ['sam', false, false],
      ['esam', true, false],
      ['esam', false, true],
      ['esam', true, true],
    ]);
    expect(new Set(configs.map((c) => `${c.model}|${c.seed}|${c.dataset.trainSize}`)).size).toBe(1);
    expect(t.state.baselineId).toBe(ids[1]);
    expect(t.state.selected).toEqual(ids);
  });

  it('a malformed import is refused with an alert and nothing stored changes', async () => {
    const t = setup();
    t.app.importText(JSON.stringify(runRecord({ id: 'kept' })));
    await settle();
    const before = JSON.stringify([...t.persistence.data.entries()]);
    const bad = {
      format: 'esam-playground/runs@1',
      runs: [
        { ...runRecord({ id: 'x' }), config: { ...runRecord().config, optimizer: { ...runRecord().config.optimizer, beta: 'high' } } },
      ],
    };
    expect(t.app.importText(JSON.stringify(bad), 'bad.json')).toBe(0);
    await settle();
    expect(t.state.alerts.at(-1)?.message).toMatch(/runs\[0\]\.config\.optimizer\.beta: expected a number/);
    expect(t.state.order).toEqual(['kept']);
    expect(JSON.stringify([...t.persistence.data.entries()])).toBe(before);
  });

  it('imports overlay live runs; a run exported mid-training comes in interrupted; export round-trips', async () => {
    const t = setup();
    const live = t.app.start()!;
    const n = t.app.importText(
      JSON.stringify({ format: 'esam-playground/runs@1', runs: [runRecord({ id: live }), runRecord({ id: 'other', status: 'running' })] }),
    );
    expect(n).toBe(2);
    expect(t.state.order).toHaveLength(3);
    expect(t.state.runs[live].phase).toBe('queued');
    expect(t.state.runs.other.record.status).toBe('interrupted');
    const exported = t.app.exportRuns('all')!;
    expect(JSON.parse(exported.json).runs).toHaveLength(3);
    t.app.selectAll(false);
    t.app.toggleSelected('other');
    expect(JSON.parse(t.app.exportRuns('selected')!.json)).toMatchObject({ format: 'esam-playground/run@1', id: 'other' });
  });

  it('keeps runs in IndexedDB across a reload, marking a cut-off run interrupted', async () => {
    const db = `test-runs-${Math.random()}`;
    const first = setup(QUERY, (await openRunPersistence(db)) as ReturnType<typeof memoryPersistence>);
    first.worker.emit({ type: 'ready', backend: REPORT });
    await settle();
    const id = first.app.start()!;
    first.worker.emit({ type: 'run-started', runId: id, record: { ...first.state.runs[id].record } });
    const e1 = epochRecord(1);
    first.worker.emit({
      type: 'epoch',
      runId: id,
      epoch: e1,
      summary: summarize([e1], 64),
      warnings: [],
      probeBPlus: [],
      memory: { numTensors: 1, numBytes: 1, numBytesInGPU: null },
    });
    first.app.flush();
    await new Promise((r) => setTimeout(r, 50));
    first.app.dispose();

    const second = setup(QUERY, (await openRunPersistence(db)) as ReturnType<typeof memoryPersistence>);
    await new Promise((r) => setTimeout(r, 50));
    expect(second.state.hydrated).toBe(true);
    expect(second.state.runs[id].record.status).toBe('interrupted');
    expect(second.state.runs[id].record.epochs).toHaveLength(1);
    second.app.deleteRun(id);
    await new Promise((r) => setTimeout(r, 50));
    const third = setup(QUERY, (await openRunPersistence(db)) as ReturnType<typeof memoryPersistence>);
    await new Promise((r) => setTimeout(r, 50));
    expect(third.state.order).toEqual([]);
  });

  it('a dataset loaded from files becomes the chosen dataset and shows its samples', () => {
    const t = setup();
    const file = new File([new Uint8Array(4)], 'cifar-10-binary.tar.gz');
    t.app.loadFiles([file]);
    const req = t.worker.sent.find((m) => m.type === 'load-files');
    expect(req).toMatchObject({ type: 'load-files', files: [file] });
    const requestId = (req as { requestId: string }).requestId;
    t.worker.emit({ type: 'dataset-progress', requestId, loadedBytes: 2, totalBytes: 4, stage: 'parse' });
    t.app.flush();
    expect(t.state.datasets.load).toMatchObject({ loadedBytes: 2, totalBytes: 4 });
    const summary = {
      name: 'cifar10' as const,
      source: 'cifar-10-binary.tar.gz',
      trainCount: 50000,
      testCount: 10000,
      classNames: ['airplane'],
      height: 32,
      width: 32,
      channels: 3,
      samples: { images: new Uint8Array(3072), labels: [0] },
    };
    t.worker.emit({ type: 'dataset-ready', requestId, dataset: summary });
    expect(t.state.datasets.load).toBeNull();
    expect(t.state.settings.dataset).toBe('cifar10');
    expect(t.state.datasets.sample.summary?.name).toBe('cifar10');
    expect(t.urls.at(-1)).toContain('dataset=cifar10');
  });

  it('a failed URL load is reported in an alert with the worker’s reason', () => {
    const t = setup();
    t.app.loadUrl('https://example.org/cifar-10-binary.tar.gz');
    const req = t.worker.sent.find((m) => m.type === 'load-url') as { requestId: string };
    t.worker.emit({ type: 'dataset-error', requestId: req.requestId, message: 'the server refused a cross-origin read' });
    expect(t.state.datasets.load?.error).toMatch(/cross-origin/);
    expect(t.state.alerts.at(-1)?.message).toMatch(/cross-origin/);
  });
});
