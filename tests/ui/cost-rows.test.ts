import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../src/engine/optimizer/config';
import type { EpochRecord, RunRecord } from '../../src/engine/run-record';
import { costRows, lastMeteredEpoch } from '../../src/ui/cost-rows';
import { parseImport, exportJson } from '../../src/store/import-export';
import { epochRecord, runRecord } from './helpers';

const sgdCost = { descentForwardBackwardMs: 4, updateMs: 1 };
const esamCost = { ascentForwardBackwardMs: 3, rankingMs: 1, descentForwardBackwardMs: 2.5, updateMs: 1 };

function metered(
  id: string,
  optimizer: Partial<OptimizerConfig>,
  cost: Partial<EpochRecord>,
  over: Partial<RunRecord['config']> = {},
): RunRecord {
  const r = runRecord({ id, name: id });
  r.config = { ...r.config, ...over, optimizer: { ...r.config.optimizer, ...optimizer } };
  r.epochs = [epochRecord(1, { ...cost, updateMs: 99 }), epochRecord(2, cost)];
  return r;
}

describe('the cost meter on the page', () => {
  it('stacks the last epoch’s phases and compares each run with an SGD run of the same model and batch', () => {
    const sgd = metered('sgd', { name: 'sgd', swp: false, sds: false }, sgdCost);
    const esam = metered('esam', { name: 'esam' }, esamCost);
    const [a, b] = costRows([sgd, esam]);
    expect(a).toMatchObject({ id: 'sgd', totalMs: 5, relativeToSgd: 1, sgdName: 'sgd', phases: { descentForwardBackward: 4, update: 1 } });
    expect(a.phases).not.toHaveProperty('ascentForwardBackward');
    expect(b).toMatchObject({ id: 'esam', totalMs: 7.5, relativeToSgd: 1.5, phases: { ascentForwardBackward: 3, ranking: 1 } });
  });

  it('says there is nothing to compare with when no SGD run has the same model and batch size', () => {
    const sgd = metered('sgd', { name: 'sgd', swp: false, sds: false }, sgdCost, { batchSize: 32 });
    const esam = metered('esam', { name: 'esam' }, esamCost);
    expect(costRows([sgd, esam])[1]).toMatchObject({ relativeToSgd: null, sgdName: null });
  });

  it('leaves out runs without phase times, and the keys survive export and import', () => {
    const old = runRecord({ id: 'old' });
    expect(lastMeteredEpoch(old)).toBeNull();
    const esam = metered('esam', { name: 'esam' }, esamCost);
    expect(costRows([old, esam]).map((r) => r.id)).toEqual(['esam']);
    expect(parseImport(exportJson([esam]))).toEqual([esam]);
  });
});
