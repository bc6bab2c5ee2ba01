import type { Diagnostics, LinearityDiagnostics } from '../diagnostics';
import type { PhaseCostKey } from '../optimizer/phases';
import {
  EPOCH_KEYS,
  OPTIONAL_EPOCH_KEYS,
  RUN_FORMAT,
  summarize,
  type EpochRecord,
  type RunConfig,
  type RunEnvironment,
  type RunGroup,
  type RunRecord,
} from '../run-record';
import type { RunWarning } from '../stability';
import type { RunData } from './data';

/** The record of a run as it starts: no epochs yet, the subset sizes it resolved to. */
export function startRecord(
  inputs: { id: string; name: string; createdAt?: string; config: RunConfig; environment: RunEnvironment; group?: RunGroup },
  data: RunData,
  warnings: RunWarning[],
): RunRecord {
  const { config } = inputs;
  return {
    format: RUN_FORMAT,
    id: inputs.id,
    name: inputs.name,
    createdAt: inputs.createdAt ?? new Date().toISOString(),
    status: 'running',
    error: null,
    config: { ...config, dataset: { ...config.dataset, trainSize: data.train.count, testSize: data.test.count } },
    environment: inputs.environment,
    epochs: [],
    summary: summarize([], 0),
    warnings,
    ...(inputs.group ? { group: inputs.group } : {}),
  };
}

/** An epoch's record from its parts, in the contract's key order (optional keys last). */
export function epochRecordOf(parts: {
  epoch: number;
  seconds: number;
  images: number;
  lr: number;
  lossSum: number;
  correct: number;
  test: { loss: number; accuracy: number };
  diagnostics: Diagnostics & Partial<LinearityDiagnostics>;
  flipped: { flippedBatch: number; flippedBPlus: number } | null;
  cost: Partial<Record<PhaseCostKey, number>>;
}): EpochRecord {
  const { seconds, images } = parts;
  return {
    epoch: parts.epoch,
    seconds,
    imagesPerSec: images / seconds,
    lr: parts.lr,
    trainLoss: parts.lossSum / images,
    trainAcc: parts.correct / images,
    testLoss: parts.test.loss,
    testAcc: parts.test.accuracy,
    ...parts.diagnostics,
    ...parts.flipped,
    ...parts.cost,
  };
}

/** Every value of the record is finite (the optional ones where present). */
export function isFiniteEpoch(e: EpochRecord): boolean {
  return (
    EPOCH_KEYS.every((key) => Number.isFinite(e[key])) &&
    OPTIONAL_EPOCH_KEYS.every((key) => e[key] === undefined || Number.isFinite(e[key]))
  );
}

export function divergedError(epoch: number, loss: number): string {
  const what = Number.isFinite(loss) ? `absurdly large (${loss.toPrecision(2)} nats)` : 'NaN or infinite';
  return `the loss became ${what} in epoch ${epoch}; try a lower learning rate or ρ`;
}
