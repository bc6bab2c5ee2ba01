/**
 * Telling a run that trains badly in words. A run is "unstable" when its training loss stays
 * above UNSTABLE_LOSS_FACTOR·ln(classes) (worse than guessing) through a whole epoch after the
 * first, or rises over two epochs in a row; the warning names the likely cause and what to try.
 * A loss above ABSURD_LOSS is treated like NaN: the run has diverged.
 */
import { SDS_FULL_BATCH_THRESHOLD } from './optimizer/config';
import type { RunConfig } from './run-record';

export const UNSTABLE_LOSS_FACTOR = 1.5;
/** Nats per sample; the cross-entropy of a trained or even untrained net is orders of magnitude below. */
export const ABSURD_LOSS = 1e4;
/** Models with BatchNorm, the first thing to try when one without it is unstable. */
const BATCHNORM_MODELS = ['cnn-bn', 'resnet8', 'resnet20'];

export const INSTABILITY_REASONS = ['stuck-high', 'rising'] as const;
export type InstabilityReason = (typeof INSTABILITY_REASONS)[number];

export interface RunWarning {
  kind: 'unstable';
  reason: InstabilityReason;
  /** The epoch at whose end the warning was raised. */
  epoch: number;
  /** One or two sentences: what happened, the likely cause and what to try. */
  message: string;
}

/** What the stability check needs of each finished epoch. */
export interface EpochLosses {
  epoch: number;
  /** Mean training loss over the epoch's steps. */
  trainLoss: number;
  /** The lowest step loss of the epoch (each step's mean over its batch). */
  minStepLoss: number;
}

export function isDivergedLoss(loss: number): boolean {
  return !Number.isFinite(loss) || loss > ABSURD_LOSS;
}

export function unstableLossThreshold(classes: number): number {
  return UNSTABLE_LOSS_FACTOR * Math.log(classes);
}

/**
 * The warnings raised at the end of the last epoch of `history` (at most one per reason over a
 * run: `raised` holds the reasons already given).
 */
export function stabilityWarnings(
  history: readonly EpochLosses[],
  classes: number,
  config: RunConfig,
  raised: ReadonlySet<InstabilityReason>,
): RunWarning[] {
  const last = history[history.length - 1];
  if (!last) return [];
  const warnings: RunWarning[] = [];
  const threshold = unstableLossThreshold(classes);
  if (!raised.has('stuck-high') && last.epoch > 1 && last.minStepLoss > threshold) {
    warnings.push({
      kind: 'unstable',
      reason: 'stuck-high',
      epoch: last.epoch,
      message: `Unstable: the training loss stayed above ${threshold.toFixed(2)} (1.5·ln ${classes}, worse than guessing) through all of epoch ${last.epoch}. ${advice(config)}`,
    });
  }
  const [a, b, c] = history.slice(-3);
  if (!raised.has('rising') && c && c.trainLoss > b.trainLoss && b.trainLoss > a.trainLoss) {
    warnings.push({
      kind: 'unstable',
      reason: 'rising',
      epoch: c.epoch,
      message: `Unstable: the training loss rose in epochs ${b.epoch} and ${c.epoch} (${a.trainLoss.toFixed(3)} → ${b.trainLoss.toFixed(3)} → ${c.trainLoss.toFixed(3)}). ${advice(config)}`,
    });
  }
  return warnings;
}

/** The likely causes for this config, most likely first, with what to try. */
function advice(config: RunConfig): string {
  const tries = [`a lower learning rate (now ${config.lr}; try ${round(config.lr / 2)} or ${round(config.lr / 5)})`];
  if (!BATCHNORM_MODELS.includes(config.model)) tries.push(`a model with BatchNorm (cnn-bn instead of ${config.model})`);
  const o = config.optimizer;
  if (o.name === 'esam' && o.sds && o.gamma < SDS_FULL_BATCH_THRESHOLD)
    tries.push(`a larger γ (now ${o.gamma}; SDS trains on that fraction of each batch)`);
  if (o.name !== 'sgd' && o.rho > 0.05) tries.push(`a smaller ρ (now ${o.rho})`);
  return `Likely cause: steps too large for this model. Try ${tries.join(', or ')}.`;
}

function round(x: number): number {
  return Number(x.toPrecision(2));
}
