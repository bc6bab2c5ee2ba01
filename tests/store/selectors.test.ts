/**
 * The questions components ask of the state ("why can this not be computed?") are pure
 * selectors of the whole state, so an answer changes whenever anything it depends on does.
 */
import { describe, expect, it } from 'vitest';
import type { ModelWeights } from '../../src/engine/weights';
import {
  baselineAmong,
  landscapeBlockers,
  landscapeCandidates,
  loadingDataset,
  selectedEntries,
  startBlockers,
  sweepBlockers,
} from '../../src/store/selectors';
import type { Routes } from '../../src/store/slices/context';
import { ROUTES } from '../../src/store/slices/routes';
import type { AppCommands } from '../../src/store/store';
import { sweepErrors } from '../../src/store/sweep';
import { REPORT, settle, setup } from '../ui/app-harness';
import { epochRecord, runRecord } from '../ui/helpers';

const WEIGHTS: ModelWeights = {
  model: 'linear',
  params: [{ name: 'dense0/kernel', shape: [2, 1], data: new Float32Array([1, 2]) }],
  state: [],
};
const SUMMARY = { finalTestAcc: 0.5, bestTestAcc: 0.5, imagesPerSec: 10, totalSeconds: 4 };
const CIFAR = { name: 'cifar10' as const, source: 'cifar-10-binary.tar.gz', trainCount: 64, testCount: 32, bytes: 1000 };

/** A page whose one CIFAR-10 run has finished and kept its weights. */
async function finishedCifarRun() {
  const t = setup('?dataset=cifar10&model=linear&epochs=1&batch-size=16&train-size=64&test-size=32&seed=1');
  t.worker.emit({ type: 'ready', backend: REPORT });
  t.worker.emit({ type: 'datasets', cached: [CIFAR] });
  await settle();
  const runId = t.app.start()!;
  expect(runId).not.toBeNull();
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

describe('selectors', () => {
  it('the landscape blocker follows the datasets: clearing the run’s dataset shows the reason at once, without a change to the runs or options', async () => {
    const { t, runId } = await finishedCifarRun();
    const select = (s: typeof t.state) => landscapeBlockers(s, [runId]);
    expect(landscapeCandidates(t.state)).toEqual([runId]);
    expect(select(t.state)).toEqual([]);
    const answers: string[][] = [];
    const unsubscribe = t.app.store.subscribe((s) => answers.push(select(s)));
    const { runs, order, landscapes } = t.state;

    t.app.clearDatasets();
    t.worker.emit({ type: 'datasets', cached: [] });
    // What the panel listed before (runs with weights, the options) is unchanged: only a selector
    // of the whole state sees that the run's dataset went away.
    expect(t.state.runs).toBe(runs);
    expect(t.state.order).toBe(order);
    expect(t.state.landscapes).toBe(landscapes);
    expect(landscapeCandidates(t.state)).toEqual([runId]);
    expect(answers.at(-1)).toEqual(['CIFAR-10 is not loaded in this browser any more.']);
    expect(t.app.landscapeBlocker(runId)).toBe('CIFAR-10 is not loaded in this browser any more.');

    t.worker.emit({ type: 'datasets', cached: [CIFAR] });
    expect(answers.at(-1)).toEqual([]);
    t.app.setLandscapeOptions({ span: Number.NaN });
    expect(answers.at(-1)).toHaveLength(1);
    unsubscribe();
  });

  it('the sweep is blocked by what blocks Start and by its own grid', () => {
    const t = setup();
    expect(sweepBlockers(t.state)).toEqual([]);
    t.app.setText('lr', '0.,');
    t.app.setSweepSpec({ step: 0 });
    const blockers = sweepBlockers(t.state);
    expect(blockers).toEqual([...startBlockers(t.state), ...sweepErrors(t.state.sweepSpec, t.state.settings.batchSize)]);
    expect(startBlockers(t.state)).toHaveLength(1);
    expect(blockers.length).toBeGreaterThan(1);
    expect(t.app.sweepBlockers()).toEqual(blockers);
  });

  it('a dataset load is under way until it ends or fails; selected entries come in run order', () => {
    const t = setup();
    expect(loadingDataset(t.state)).toBe(false);
    t.app.loadUrl('https://example.org/cifar-10-binary.tar.gz');
    expect(loadingDataset(t.state)).toBe(true);
    const requestId = t.state.datasets.load!.requestId;
    t.worker.emit({ type: 'dataset-error', requestId, message: 'offline' });
    expect(loadingDataset(t.state)).toBe(false);
    t.app.importText(JSON.stringify({ format: 'esam-playground/runs@1', runs: [runRecord({ id: 'a' }), runRecord({ id: 'b' })] }));
    t.app.toggleSelected('a', false);
    t.app.toggleSelected('a', true);
    expect(selectedEntries(t.state).map((e) => e.record.id)).toEqual(['a', 'b']);
  });

  it('the baseline is the chosen run when it is among the records, else the default', () => {
    const a = runRecord({ id: 'a' });
    const b = runRecord({ id: 'b' });
    expect(baselineAmong({ baselineId: 'b' }, [a, b])).toBe('b');
    expect(baselineAmong({ baselineId: 'gone' }, [a, b])).toBe(baselineAmong({ baselineId: null }, [a, b]));
  });

  it('components get actions only, and every worker message type has a route (both checked by the typecheck)', () => {
    const t = setup();
    const commands: AppCommands = t.app;
    // @ts-expect-error questions about state are selectors, not controller calls made during render
    expect(commands.landscapeBlocker).toBeTypeOf('function');
    const { memory: _memory, ...withoutMemory } = ROUTES;
    // @ts-expect-error a table without a route for one message type does not compile
    const incomplete: Routes = withoutMemory;
    expect(Object.keys(incomplete)).not.toContain('memory');
  });
});
