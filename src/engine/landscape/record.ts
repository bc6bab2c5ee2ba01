/** The JSON of a computed loss landscape, exported beside runs. */
export const LANDSCAPE_FORMAT = 'esam-playground/landscape@1';

/** 'random': two filter-normalised Gaussian directions; 'adversarial': the gradients of two batch halves (Fig. 8). */
export type LandscapeKind = 'random' | 'adversarial';

export interface LandscapeOptions {
  kind: LandscapeKind;
  /** Grid points per axis: odd, 5..51. */
  resolution: number;
  /** Coordinates run from −span to span; > 0 and ≤ 100 (adversarial directions are one SGD step long, so they may want many). */
  span: number;
  /** Integer ≥ 0: fixes the directions and the training probe. */
  seed: number;
  probe: 'train' | 'test';
  /** Images the loss is measured on, 1..10,000; capped at what the split has. */
  probeSize: number;
}

export interface LandscapeRecord {
  format: typeof LANDSCAPE_FORMAT;
  id: string;
  runId: string;
  runName: string;
  createdAt: string;
  options: LandscapeOptions;
  /** Images actually used. */
  probeCount: number;
  coords: number[];
  /** loss[j][i]: the loss at θ + coords[i]·d1 + coords[j]·d2 (row j = second direction). */
  loss: number[][];
  accuracy: number[][];
  /** The loss at the trained weights, measured before the grid. */
  originLoss: number;
  seconds: number;
}

export const DEFAULT_LANDSCAPE_OPTIONS: LandscapeOptions = {
  kind: 'random',
  resolution: 21,
  span: 1,
  seed: 0,
  probe: 'train',
  probeSize: 512,
};

/** maxProbeSize bounds the probe tensors held on the GPU (10,000 CIFAR images ≈ 120 MB). */
export const LANDSCAPE_LIMITS = { minResolution: 5, maxResolution: 51, maxSpan: 100, maxProbeSize: 10_000 } as const;

/** Human messages, one per bad option, naming it and its allowed range; empty when all are fine. */
export function validateLandscapeOptions(o: LandscapeOptions): string[] {
  const errors: string[] = [];
  const { minResolution, maxResolution, maxSpan, maxProbeSize } = LANDSCAPE_LIMITS;
  if (o.kind !== 'random' && o.kind !== 'adversarial') errors.push(`kind must be 'random' or 'adversarial', got ${String(o.kind)}`);
  if (!Number.isInteger(o.resolution) || o.resolution < minResolution || o.resolution > maxResolution || o.resolution % 2 === 0) {
    errors.push(`resolution must be an odd integer from ${minResolution} to ${maxResolution}, got ${o.resolution}`);
  }
  if (!(Number.isFinite(o.span) && o.span > 0 && o.span <= maxSpan))
    errors.push(`span must be greater than 0 and at most ${maxSpan}, got ${o.span}`);
  if (!Number.isInteger(o.seed) || o.seed < 0) errors.push(`seed must be an integer ≥ 0, got ${o.seed}`);
  if (o.probe !== 'train' && o.probe !== 'test') errors.push(`probe must be 'train' or 'test', got ${String(o.probe)}`);
  if (!Number.isInteger(o.probeSize) || o.probeSize < 1 || o.probeSize > maxProbeSize) {
    errors.push(`probe size must be an integer from 1 to ${maxProbeSize}, got ${o.probeSize}`);
  }
  return errors;
}
