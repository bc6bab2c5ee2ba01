/**
 * The largest sizes the loaders accept, from the official files. Every size a file claims
 * (a tar header, an IDX header) is checked against these before anything is allocated, so a
 * small hostile file cannot make the page or the CLI ask for gigabytes.
 */

/** Records per CIFAR-10 batch file: data_batch_1..5.bin and test_batch.bin hold 10,000 each. */
export const CIFAR10_BATCH_RECORDS = 10_000;
/** CIFAR-10's official training batches, by number. */
export const CIFAR10_TRAIN_BATCHES = 5;
/** Records in CIFAR-100's train.bin and test.bin. */
export const CIFAR100_RECORDS = { train: 50_000, test: 10_000 } as const;
/** Longest class-name text accepted (the official ones are under 2 KB). */
export const MAX_CLASS_NAMES_BYTES = 16 * 1024;
/** Images (and labels) in Fashion-MNIST's train and t10k IDX files. */
export const FASHION_MNIST_COUNTS = { train: 60_000, t10k: 10_000 } as const;
/** Entries (headers) read from one tar archive; the official CIFAR archives have fewer than 10. */
export const MAX_ARCHIVE_ENTRIES = 10_000;
