import { defaultRunConfig } from '../../src/engine/defaults';
import { RUN_FORMAT, summarize, type EpochRecord, type RunRecord } from '../../src/engine/run-record';

export function epochRecord(epoch: number, over: Partial<EpochRecord> = {}): EpochRecord {
  return {
    epoch,
    seconds: 2 + epoch * 0.1,
    imagesPerSec: 32,
    lr: 0.05,
    trainLoss: 2.3 / epoch,
    trainAcc: 0.1 * epoch,
    testLoss: 2.2 / epoch,
    testAcc: 0.12 * epoch,
    lossBPlus: 2.5,
    lossBMinus: 2.0,
    lossBPlusPerturbed: 2.9,
    lossBMinusPerturbed: 2.05,
    cosBPlus: 0.9,
    cosBMinus: 0.4,
    cosRandom: 0.6,
    sharpness: 0.2,
    ...over,
  };
}

export function runRecord(over: Partial<RunRecord> = {}, epochs = 2): RunRecord {
  const eps = Array.from({ length: epochs }, (_, i) => epochRecord(i + 1));
  return {
    format: RUN_FORMAT,
    id: 'run-1',
    name: 'ESAM β0.6 γ0.5 · linear',
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'completed',
    error: null,
    config: { ...defaultRunConfig('synthetic'), model: 'linear', batchSize: 16, epochs: Math.max(1, epochs) },
    environment: { backend: 'webgpu', adapter: 'google swiftshader', tfjsVersion: '4.22.0', agent: 'test' },
    epochs: eps,
    summary: summarize(eps, 64),
    warnings: [],
    ...over,
  };
}
