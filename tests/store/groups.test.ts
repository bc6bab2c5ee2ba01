import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/run-record';
import { subjectSummaryRows, formatPercentStd } from '../../src/store/compare';
import { bandKey, chartSubjects, subjectPoints } from '../../src/store/groups';
import { meanStd } from '../../src/store/mean-std';
import type { RunEntry } from '../../src/store/runs';
import { epochRecord, runRecord } from '../ui/helpers';

const group = { id: 'g1', name: 'SAM · 3 seeds' };
const entry = (record: RunRecord, color = '#123456'): RunEntry => ({ record, color, phase: 'finished', imported: false });
const member = (id: string, accs: number[], seconds: number[]) => {
  const epochs = accs.map((testAcc, i) => epochRecord(i + 1, { testAcc, seconds: seconds[i] }));
  return runRecord({
    id,
    name: id,
    group,
    epochs,
    summary: { finalTestAcc: accs.at(-1)!, bestTestAcc: Math.max(...accs), imagesPerSec: 100, totalSeconds: 1 },
  });
};

describe('mean ± std', () => {
  it('is the mean and the sample standard deviation of the finite values', () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(5 / 3), n: 4 });
    expect(meanStd([5, null, Number.NaN])).toEqual({ mean: 5, std: 0, n: 1 });
    expect(meanStd([])).toBeNull();
  });
});

describe('seed groups in charts', () => {
  const a = member('a', [0.2, 0.5], [2, 2]);
  const b = member('b', [0.4, 0.7], [4, 4]);
  const alone = runRecord({ id: 'alone', name: 'alone' });

  it('two or more selected members of a group become one subject; a lone member stays a run', () => {
    const subjects = chartSubjects([entry(a, '#aa0000'), entry(alone), entry(b)]);
    expect(subjects.map((s) => [s.id, s.name, s.color, s.entries.length])).toEqual([
      ['g1', 'SAM · 3 seeds', '#aa0000', 2],
      ['alone', 'alone', '#123456', 1],
    ]);
    expect(chartSubjects([entry(a), entry(alone)]).map((s) => s.id)).toEqual(['a', 'alone']);
  });

  it('a group draws its per-epoch mean with a ±1 std band, at the mean time on the time axis', () => {
    const [g] = chartSubjects([entry(a), entry(b)]);
    const points = subjectPoints(g, 'testAcc', 'epoch', 'k');
    const at = (series: string, x: number) => points.find((p) => p.series === series && p.x === x)?.y;
    const std1 = Math.sqrt(((20 - 30) ** 2 + (40 - 30) ** 2) / 1); // in percent
    expect(at('k', 1)).toBeCloseTo(30, 10);
    expect(at(bandKey('k', 'lo'), 1)).toBeCloseTo(30 - std1, 10);
    expect(at(bandKey('k', 'hi'), 1)).toBeCloseTo(30 + std1, 10);
    expect(at('k', 2)).toBeCloseTo(60, 10);
    const timed = subjectPoints(g, 'testAcc', 'time', 'k').filter((p) => p.series === 'k');
    expect(timed.map((p) => p.x)).toEqual([3, 6]);
  });

  it('a group whose members reached different epochs averages those that reached each', () => {
    const short = member('c', [0.3], [3]);
    const [g] = chartSubjects([entry(a), entry(short)]);
    const means = subjectPoints(g, 'testAcc', 'epoch', 'k').filter((p) => p.series === 'k');
    expect(means.map((p) => [p.x, Number(p.y.toFixed(6))])).toEqual([
      [1, 25],
      [2, 50],
    ]);
  });
});

describe('seed groups in the table', () => {
  it('one row per group with mean ± std accuracies; speed and vs-SGD against group means', () => {
    const sgd = (id: string, acc: number) => {
      const r = runRecord({ id, name: id, group: { id: 'gs', name: 'SGD · 2 seeds' } });
      r.config = { ...r.config, optimizer: { ...r.config.optimizer, name: 'sgd', swp: false, sds: false, beta: 1, gamma: 1 } };
      r.summary = { ...r.summary, finalTestAcc: acc, bestTestAcc: acc, imagesPerSec: 200 };
      return r;
    };
    const sam = (id: string, acc: number, ips: number) => {
      const r = runRecord({ id, name: id });
      r.config = { ...r.config, optimizer: { ...r.config.optimizer, name: 'sam', swp: false, sds: false, beta: 1, gamma: 1 } };
      r.summary = { ...r.summary, finalTestAcc: acc, bestTestAcc: acc, imagesPerSec: ips };
      return r;
    };
    const rows = subjectSummaryRows(
      [
        { id: 'gs', name: 'SGD · 2 seeds', records: [sgd('s1', 0.7), sgd('s2', 0.8)] },
        { id: 'sam', name: 'SAM', records: [sam('sam', 0.8, 100)] },
      ],
      'sam',
    );
    expect(rows[0]).toMatchObject({ seeds: 2, method: 'SGD', speedup: 2, accVsSgd: null });
    expect(rows[0].finalTestAcc).toBeCloseTo(0.75, 12);
    expect(rows[0].finalTestAccStd).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(rows[1]).toMatchObject({ seeds: 1, finalTestAccStd: null, speedup: 1 });
    expect(rows[1].accVsSgd).toBeCloseTo(0.05, 12);
    expect(formatPercentStd(rows[0].finalTestAcc, rows[0].finalTestAccStd, 1)).toBe('75.0 ± 7.1%');
    expect(formatPercentStd(0.8, null, 1)).toBe('80.0%');
    // The baseline may be named by a run inside a group.
    expect(subjectSummaryRows([{ id: 'gs', name: 'g', records: [sgd('s1', 0.7), sgd('s2', 0.8)] }], 's2')[0].speedup).toBe(1);
  });
});
