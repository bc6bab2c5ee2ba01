/** The worker link: batched messages land in one store update, and commands wait for the backend. */
import { describe, expect, it } from 'vitest';
import { route } from '../../src/store/slices/routes';
import { REPORT, settle, setup } from '../ui/app-harness';

describe('the worker link', () => {
  it('applies a batch of frequent messages, in order, with one store update', async () => {
    const t = setup();
    t.worker.emit({ type: 'ready', backend: REPORT });
    await settle();
    const runId = t.app.start()!;
    t.worker.emit({ type: 'run-started', runId, record: t.state.runs[runId].record });
    let updates = 0;
    const unsubscribe = t.app.store.subscribe(() => updates++);
    for (let step = 1; step <= 3; step++) {
      t.worker.emit({ type: 'progress', runId, epoch: 1, step, steps: 4, recentLosses: [step], etaSeconds: null });
    }
    expect(updates).toBe(0);
    t.app.flush();
    expect(updates).toBe(1);
    expect(t.state.progress[runId]).toMatchObject({ step: 3 });
    expect(t.state.stepLosses[runId]).toEqual([1, 2, 3]);
    unsubscribe();
  });

  it('holds queued commands until the backend answers, then sends them in order', () => {
    const t = setup();
    const runId = t.app.start()!;
    t.app.stop(runId);
    expect(t.worker.sent.map((m) => m.type)).toEqual(['init', 'list-datasets']);
    t.worker.emit({ type: 'ready', backend: REPORT });
    expect(t.worker.sent.map((m) => m.type)).toEqual(['init', 'list-datasets', 'start', 'stop']);
  });

  it('a message about a run the page does not have leaves the state as it was', () => {
    const t = setup();
    const before = t.state;
    const out = route(before, { type: 'paused', runId: 'nobody', paused: true }, { awaitingReady: false, sampleRequest: null });
    expect(out.state).toBe(before);
    expect(out.effects).toEqual([]);
  });
});
