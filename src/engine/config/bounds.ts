/**
 * The one set of bounds on a run's configuration, shared by the config panel, the URL, the
 * CLI, run import and the engine's own validation: a value one of them accepts, all accept.
 */
import { FASHION_MNIST_COUNTS } from '../../data/limits';

export const CONFIG_BOUNDS = {
  /** Epochs of one run: 1 ..= maxEpochs. */
  maxEpochs: 10_000,
  /** Seeds are 32-bit: 0 ..= maxSeed (a larger one would alias a smaller one in the generator). */
  maxSeed: 2 ** 32 - 1,
  /** Images of a split subset (and of a batch): the largest real split, Fashion-MNIST's training set. */
  maxImages: FASHION_MNIST_COUNTS.train,
  /** The most runs one start queues for a seed group (the page's "Seeds" setting, the CLI's --seeds). */
  maxSeeds: 5,
} as const;
