import { describe, expect, it } from 'vitest';
import {
  defaultBaseline,
  downsample,
  epochXs,
  formatDuration,
  formatSpeedup,
  mergeRows,
  metricPoints,
  secondsPerEpoch,
  summaryRows,
} from '../../src/store/compare';
import { runRecord } from '../ui/helpers';

const withOptimizer = (id: string, name: 'sgd' | 'sam' | 'esam', ips: number, acc: number) => {
  const r = runRecord({ id, name: id.toUpperCase() }, 3);
  r.config = {
    ...r.config,
    optimizer: {
      ...r.config.optimizer,
      name,
      swp: name === 'esam',
      sds: name === 'esam',
      beta: name === 'esam' ? 0.6 : 1,
      gamma: name === 'esam' ? 0.5 : 1,
    },
  };
  r.summary = { ...r.summary, imagesPerSec: ips, finalTestAcc: acc };
  return r;
};

describe('comparison', () => {
  const sgd = withOptimizer('sgd', 'sgd', 2650, 0.9541);
  const sam = withOptimizer('sam', 'sam', 1000, 0.9652);
  const esam = withOptimizer('esam', 'esam', 1380, 0.9656);

  it('speed relative to the baseline and accuracy relative to SGD, as in Table 3', () => {
    expect(defaultBaseline([sgd, sam, esam])).toBe('sam');
    const rows = summaryRows([sgd, sam, esam], 'sam');
    expect(rows.map((r) => r.method)).toEqual(['SGD', 'SAM', 'ESAM']);
    expect(rows[2].speedup).toBeCloseTo(1.38);
    expect(formatSpeedup(rows[2].speedup, 'SAM')).toBe('1.38× SAM');
    expect(rows[1].speedup).toBe(1);
    expect(rows[0].accVsSgd).toBeNull();
    expect(rows[2].accVsSgd).toBeCloseTo(0.0115);
  });

  it('time per epoch leaves the warm-up epoch out when there are more', () => {
    const r = runRecord({}, 3);
    expect(secondsPerEpoch(r)).toBeCloseTo((r.epochs[1].seconds + r.epochs[2].seconds) / 2);
    expect(secondsPerEpoch(runRecord({}, 1))).toBeCloseTo(runRecord({}, 1).epochs[0].seconds);
    expect(secondsPerEpoch(runRecord({}, 0))).toBeNull();
  });

  it('x by epoch or by cumulative training seconds; percentages for accuracies', () => {
    const r = runRecord({}, 3);
    expect(epochXs(r, 'epoch')).toEqual([1, 2, 3]);
    const t = epochXs(r, 'time');
    expect(t[2]).toBeCloseTo(r.epochs.reduce((s, e) => s + e.seconds, 0));
    expect(metricPoints(r, 'testAcc', 'epoch', 'k')[0]).toEqual({ series: 'k', x: 1, y: r.epochs[0].testAcc * 100 });
  });

  it('merges series into rows by x, skipping non-finite values', () => {
    const rows = mergeRows([
      { series: 'a', x: 2, y: 1 },
      { series: 'b', x: 1, y: 3 },
      { series: 'a', x: 1, y: 2 },
      { series: 'b', x: 2, y: NaN },
    ]);
    expect(rows).toEqual([
      { x: 1, 's:a': 2, 's:b': 3 },
      { x: 2, 's:a': 1 },
    ]);
  });

  it('downsamples long step series into bucket means', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const d = downsample(values, 100);
    expect(d).toHaveLength(100);
    expect(d[0]).toEqual({ x: 10, y: 4.5 });
    expect(downsample([1, 2, 3], 400)).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
    ]);
  });

  it('formats durations', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
  });
});
