/** The data layer's public API: parsers, loaders, the synthetic set, batching and the cache. */
export * from './types';
export { DatasetError } from './errors';
export { gunzipChunks, gunzipBytes, isGzip } from './gzip';
export { readTar, TarParser, type TarMember, type TarSink, type TarSummary } from './tar';
export { chunksOf, readAll, streamFromBytes, type ByteSource } from './streams';
export {
  CIFAR10_CLASSES,
  CIFAR100_CLASSES,
  CifarRecordReader,
  parseCifarBin,
  parseClassNames,
  type CifarLayout,
  type CifarSplit,
} from './cifar';
export {
  loadCifarArchive,
  loadCifarFiles,
  loadDatasetFiles,
  cifarRole,
  CIFAR_EXPECTED_FILES,
  type LoadOptions,
} from './load';
export { FASHION_MNIST_CLASSES, loadFashionMnist, parseIdxImages, parseIdxLabels, idxRole } from './idx';
export { channelStats, type ChannelStats } from './stats';
export {
  epochOrder,
  batchCount,
  evalBatches,
  makeBatch,
  subset,
  withLabelNoise,
  selectSplit,
  normalisationTable,
  CROP_PAD,
  type Batch,
  type BatchOptions,
  type IndexRange,
} from './pipeline';
export { makeSyntheticDataset, drawSyntheticImage, SYNTHETIC_CLASSES, type SyntheticOptions } from './synthetic';
export { openDatasetCache, DATASET_CACHE_DB, type DatasetCache, type CachedDatasetInfo } from './cache';
export { parseDatasetIndex, withIndexEntry, type DatasetIndex, type DatasetIndexEntry } from './catalog';
