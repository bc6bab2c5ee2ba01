import type { RunData } from './data';

/** The fixed probe batch the diagnostics measure, as the page's gallery of SDS's picks shows it. */
export interface ProbeBatch {
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  /** count × height × width × channels bytes. */
  images: Uint8Array;
  /** The labels trained on (after label noise). */
  labels: number[];
  /** The labels before label noise; null when the run has none. */
  cleanLabels: number[] | null;
}

export function probeBatchOf(data: RunData, indices: Int32Array, labelNoise: number): ProbeBatch {
  const size = data.height * data.width * data.channels;
  const images = new Uint8Array(indices.length * size);
  indices.forEach((idx, i) => images.set(data.train.images.subarray(idx * size, (idx + 1) * size), i * size));
  const labels = Array.from(indices, (idx) => data.train.labels[idx]);
  const cleanLabels = labelNoise > 0 ? Array.from(indices, (idx) => data.cleanTrainLabels[idx]) : null;
  return { height: data.height, width: data.width, channels: data.channels, classNames: data.classNames, images, labels, cleanLabels };
}

/** The share of the probe batch, and of its B+, whose label noise changed the label. */
export function flippedShares(probe: ProbeBatch, bPlus: readonly number[]): { flippedBatch: number; flippedBPlus: number } | null {
  const clean = probe.cleanLabels;
  if (!clean) return null;
  const flipped = (i: number) => (probe.labels[i] !== clean[i] ? 1 : 0);
  const batch = probe.labels.reduce((n, _, i) => n + flipped(i), 0);
  const plus = bPlus.reduce((n, i) => n + flipped(i), 0);
  return { flippedBatch: batch / probe.labels.length, flippedBPlus: bPlus.length ? plus / bPlus.length : 0 };
}
