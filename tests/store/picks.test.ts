import { describe, expect, it } from 'vitest';
import type { ProbeBatch } from '../../src/engine/runner';
import { applyPickMessage, emptyPicks, pickTiles, withoutPicks } from '../../src/store/picks';
import { epochRecord } from '../ui/helpers';

const probe: ProbeBatch = {
  height: 1,
  width: 1,
  channels: 3,
  classNames: ['cat', 'dog', 'ship'],
  images: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
  labels: [0, 1, 2],
  cleanLabels: [0, 2, 2],
};
const memory = { numTensors: 1, numBytes: 1, numBytesInGPU: null };
const summary = { finalTestAcc: 0.5, bestTestAcc: 0.5, imagesPerSec: 1, totalSeconds: 1 };

describe('what SDS picks', () => {
  it('keeps each run’s probe batch and its B+ per epoch; deleting the run drops them', () => {
    let s = applyPickMessage(emptyPicks(), { type: 'probe', runId: 'r', probe });
    s = applyPickMessage(s, { type: 'epoch', runId: 'r', epoch: epochRecord(1), summary, warnings: [], probeBPlus: [2, 1], memory });
    s = applyPickMessage(s, { type: 'epoch', runId: 'r', epoch: epochRecord(2), summary, warnings: [], probeBPlus: [1, 0], memory });
    expect(s.bPlus.r).toEqual({ 1: [2, 1], 2: [1, 0] });
    // Epochs of runs without a probe (not trained in this page) are not kept.
    expect(
      applyPickMessage(s, { type: 'epoch', runId: 'other', epoch: epochRecord(1), summary, warnings: [], probeBPlus: [0], memory }),
    ).toBe(s);
    expect(withoutPicks(s, 'r')).toEqual(emptyPicks());
  });

  it('labels each tile with the class trained on, and the true class where noise replaced it', () => {
    expect(pickTiles(probe, [1, 0])).toEqual([
      { index: 1, label: 'dog', trueLabel: 'ship' },
      { index: 0, label: 'cat', trueLabel: null },
    ]);
    expect(pickTiles({ ...probe, cleanLabels: null }, [1])).toEqual([{ index: 1, label: 'dog', trueLabel: null }]);
  });
});
