/** Every dataset the app and the CLI know: the one list (the run config's schema reads it). */
export const DATASET_NAMES = ['synthetic', 'cifar10', 'cifar100', 'fashion-mnist'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** One split of an image dataset, kept as bytes (never as float32 on the GPU). */
export interface ImageSplit {
  /** count × height × width × channels bytes, NHWC, row-major. */
  images: Uint8Array;
  /** One class index per image. */
  labels: Uint8Array;
  count: number;
}

export interface ImageDataset {
  name: DatasetName;
  classNames: string[];
  height: number;
  width: number;
  channels: number;
  train: ImageSplit;
  test: ImageSplit;
  /** Per-channel mean and standard deviation of the training images, on the 0..1 scale. */
  mean: number[];
  std: number[];
  /** What the loader noticed but accepted (an incomplete set, unexpected file names), one sentence each. */
  notes?: string[];
}

/** A file given to a loader (dropped, picked, or read by the CLI): its name or path and its bytes. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}
