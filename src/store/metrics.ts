/**
 * The epoch metrics the comparison offers (its menu, axes and table), in one list; the figure
 * registry (figures.ts) names its axes from here.
 */
import type { EpochRecord, OptionalEpochKey } from '../engine/run-record';

/** An epoch key a chart can plot. */
export type SeriesKey = Exclude<keyof EpochRecord, 'epoch'>;
/** An epoch key every epoch record has: what the comparison's metric menu offers. */
export type MetricKey = Exclude<SeriesKey, OptionalEpochKey>;

export interface MetricDef {
  key: MetricKey;
  label: string;
  /** Axis label with unit. */
  axis: string;
  /** Shown as a percentage (fractions × 100). */
  percent?: boolean;
}

const LOSS_AXIS = 'loss (nats)';
export const COSINE_AXIS = 'cosine similarity';

/** Every epoch metric, in the order the comparison's menu lists them. */
export const METRIC_DEFS = [
  { key: 'testAcc', label: 'Test accuracy', axis: 'test accuracy (%)', percent: true },
  { key: 'trainAcc', label: 'Training accuracy', axis: 'training accuracy (%)', percent: true },
  { key: 'testLoss', label: 'Test loss', axis: 'test loss (nats)' },
  { key: 'trainLoss', label: 'Training loss', axis: 'training loss (nats)' },
  { key: 'sharpness', label: 'Sharpness L(θ+ε) − L(θ)', axis: 'sharpness (nats)' },
  { key: 'imagesPerSec', label: 'Images per second', axis: 'training images / s' },
  { key: 'seconds', label: 'Seconds per epoch', axis: 'training time per epoch (s)' },
  { key: 'lr', label: 'Learning rate', axis: 'learning rate' },
  { key: 'lossBPlus', label: 'Loss of B+ at θ', axis: LOSS_AXIS },
  { key: 'lossBMinus', label: 'Loss of B− at θ', axis: LOSS_AXIS },
  { key: 'lossBPlusPerturbed', label: 'Loss of B+ at θ+ε', axis: LOSS_AXIS },
  { key: 'lossBMinusPerturbed', label: 'Loss of B− at θ+ε', axis: LOSS_AXIS },
  { key: 'cosBPlus', label: 'cos(∇B+, ∇B) at θ+ε', axis: COSINE_AXIS },
  { key: 'cosBMinus', label: 'cos(∇B−, ∇B) at θ+ε', axis: COSINE_AXIS },
  { key: 'cosRandom', label: 'cos(∇R, ∇B) at θ+ε', axis: COSINE_AXIS },
] as const satisfies readonly MetricDef[];

export function metricAxis(key: MetricKey): string {
  return METRIC_DEFS.find((m) => m.key === key)!.axis;
}
