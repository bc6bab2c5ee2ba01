import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES, CIFAR100_CLASSES } from '../../src/data/cifar';
import { DatasetError } from '../../src/data/errors';
import { cifarRole, loadCifarArchive, loadCifarFiles, loadDatasetFiles } from '../../src/data/load';
import { channelStats } from '../../src/data/stats';
import { concat, gzip, makeCifarArchive, makeTar, streamOf } from './fixtures';

describe('loadCifarArchive', () => {
  it('CIFAR-10 .tar.gz: batches joined in number order, pixels and labels exact, names from batches.meta.txt', async () => {
    const names = CIFAR10_CLASSES.map((n) => n.toUpperCase());
    const a = await makeCifarArchive('cifar10', { batches: 3, perBatch: 4, testCount: 3, classNames: names });
    const progress: [number, number | undefined][] = [];
    const d = await loadCifarArchive('cifar-10-binary.tar.gz', streamOf(a.gz, 999), {
      totalBytes: a.gz.length,
      onProgress: (read, total) => progress.push([read, total]),
    });
    expect(d.name).toBe('cifar10');
    expect([d.height, d.width, d.channels]).toEqual([32, 32, 3]);
    expect(d.classNames).toEqual(names);
    expect(d.train.count).toBe(12);
    expect(d.train.images).toEqual(concat(a.train.map((b) => b.images)));
    expect(d.train.labels).toEqual(concat(a.train.map((b) => b.labels)));
    expect(d.test.images).toEqual(a.test.images);
    expect(d.test.labels).toEqual(a.test.labels);
    const stats = channelStats(d.train.images, 3);
    expect(d.mean).toEqual(stats.mean);
    expect(d.std).toEqual(stats.std);
    expect(progress[0]).toEqual([0, a.gz.length]);
    expect(progress[progress.length - 1]).toEqual([a.gz.length, a.gz.length]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
  });

  it('CIFAR-100 .tar.gz: fine labels, names from fine_label_names.txt; official names without the meta file', async () => {
    const names = CIFAR100_CLASSES.map((n) => `c_${n}`);
    const a = await makeCifarArchive('cifar100', { perBatch: 6, testCount: 4, classNames: names });
    const d = await loadCifarArchive('cifar-100-binary.tar.gz', streamOf(a.gz, 1000));
    expect(d.name).toBe('cifar100');
    expect(d.classNames).toEqual(names);
    expect(d.train.images).toEqual(a.train[0].images);
    expect(d.train.labels).toEqual(a.train[0].labels);
    expect(d.test.labels).toEqual(a.test.labels);

    const bare = await makeCifarArchive('cifar100', { perBatch: 2, testCount: 2 });
    const d2 = await loadCifarArchive('c100.tgz', streamOf(bare.gz));
    expect(d2.classNames).toEqual(CIFAR100_CLASSES);
  });

  it('reads an uncompressed .tar too, ignoring macOS resource-fork twins', async () => {
    const a = await makeCifarArchive('cifar10', {
      batches: 1,
      extra: [
        { path: '__MACOSX/cifar-10-batches-bin/._test_batch.bin', data: 'junk' },
        { path: 'README', data: 'hi' },
      ],
    });
    const d = await loadCifarArchive('cifar.tar', streamOf(a.tar));
    expect(d.classNames).toEqual(CIFAR10_CLASSES);
    expect(d.test.labels).toEqual(a.test.labels);
  });

  it('rejects a truncated archive, naming the file', async () => {
    const a = await makeCifarArchive('cifar10', { perBatch: 20 });
    const err = await loadCifarArchive('cifar-10-binary.tar.gz', streamOf(a.gz.subarray(0, a.gz.length >> 1))).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toMatch(/^cifar-10-binary\.tar\.gz: gzip data is truncated or corrupt \(expected a complete gzip stream/);
  });

  it('rejects a file that is not gzip, naming the file and the gzip magic', async () => {
    const err = await loadCifarArchive('cifar-10-binary.tar.gz', streamOf(new TextEncoder().encode('Not Found'))).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe('cifar-10-binary.tar.gz: not gzip (expected a gzip file starting with bytes 1f 8b; it starts with 4e 6f)');
  });

  it('rejects an archive with no CIFAR files, naming the file, what was expected and what was found', async () => {
    const gz = await gzip(
      makeTar([
        { path: 'photos/', type: '5' },
        { path: 'photos/cat.jpg', data: 'x' },
      ]),
    );
    const err = await loadCifarArchive('photos.tar.gz', streamOf(gz)).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe(
      'photos.tar.gz: contains no CIFAR files (expected CIFAR-10: cifar-10-batches-bin/data_batch_1..5.bin, test_batch.bin, batches.meta.txt; ' +
        'CIFAR-100: cifar-100-binary/train.bin, test.bin, fine_label_names.txt; found photos/cat.jpg)',
    );
  });

  it('rejects a batch whose size does not fit the record size, naming the member', async () => {
    const gz = await gzip(
      makeTar([
        { path: 'cifar-10-batches-bin/data_batch_1.bin', data: new Uint8Array(3074) },
        { path: 'cifar-10-batches-bin/test_batch.bin', data: new Uint8Array(3073) },
      ]),
    );
    await expect(loadCifarArchive('c.tar.gz', streamOf(gz))).rejects.toThrow(
      'c.tar.gz/cifar-10-batches-bin/data_batch_1.bin: 3074 bytes is not a whole number of CIFAR-10 records (expected a multiple of 3073 bytes',
    );
  });

  it('rejects a dataset without its test batch, and a mix of CIFAR-10 and CIFAR-100 files', async () => {
    const gz = await gzip(makeTar([{ path: 'cifar-10-batches-bin/data_batch_1.bin', data: new Uint8Array(3073) }]));
    await expect(loadCifarArchive('c.tar.gz', streamOf(gz))).rejects.toThrow(
      'c.tar.gz: has no CIFAR-10 test data (expected test_batch.bin)',
    );
    const mixed = await gzip(
      makeTar([
        { path: 'x/data_batch_1.bin', data: new Uint8Array(3073) },
        { path: 'y/train.bin', data: new Uint8Array(3074) },
      ]),
    );
    await expect(loadCifarArchive('m.tar.gz', streamOf(mixed))).rejects.toThrow(
      'm.tar.gz/y/train.bin: is a CIFAR-100 file but m.tar.gz/x/data_batch_1.bin is CIFAR-10',
    );
  });
});

describe('loadCifarFiles / loadDatasetFiles', () => {
  it('loads dropped .bin files (any order, any folder) and the meta file', async () => {
    const a = await makeCifarArchive('cifar10', { batches: 2, perBatch: 3, testCount: 2 });
    const names = CIFAR10_CLASSES.map((n) => `${n}!`);
    const d = loadCifarFiles([
      { name: 'test_batch.bin', bytes: a.test.bin },
      { name: 'dl/data_batch_2.bin', bytes: a.train[1].bin },
      { name: 'batches.meta.txt', bytes: new TextEncoder().encode(names.join('\n')) },
      { name: 'data_batch_1.bin', bytes: a.train[0].bin },
    ]);
    expect(d.train.images).toEqual(concat([a.train[0].images, a.train[1].images]));
    expect(d.test.labels).toEqual(a.test.labels);
    expect(d.classNames).toEqual(names);
  });

  it('dispatches an archive, .bin files and IDX files to the right loader', async () => {
    const a = await makeCifarArchive('cifar100', { perBatch: 2, testCount: 2 });
    expect((await loadDatasetFiles([{ name: 'cifar-100-binary.tar.gz', bytes: a.gz }])).name).toBe('cifar100');
    const bins = await loadDatasetFiles([
      { name: 'train.bin', bytes: a.train[0].bin },
      { name: 'test.bin', bytes: a.test.bin },
    ]);
    expect(bins.name).toBe('cifar100');
    expect(bins.train.labels).toEqual(a.train[0].labels);
    const err = await loadDatasetFiles([{ name: 'notes.txt', bytes: new Uint8Array(3) }]).catch((e) => e);
    expect(err.message).toMatch(/^notes\.txt: contains no CIFAR files \(expected CIFAR-10: /);
  });

  it('recognises CIFAR file names', () => {
    expect(cifarRole('cifar-10-batches-bin/data_batch_5.bin')).toEqual({ layout: 'cifar10', kind: 'train', order: 5 });
    expect(cifarRole('C:\\x\\test_batch.bin')).toEqual({ layout: 'cifar10', kind: 'test' });
    expect(cifarRole('cifar-100-binary/fine_label_names.txt')).toEqual({ layout: 'cifar100', kind: 'names' });
    expect(cifarRole('x/._train.bin')).toBeNull();
    expect(cifarRole('readme.html')).toBeNull();
  });
});
