import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES, CIFAR100_CLASSES, CifarRecordReader, parseCifarBin, parseClassNames } from '../../src/data/cifar';
import { DatasetError } from '../../src/data/errors';
import { cifarBatch } from './fixtures';

describe('CIFAR binary records', () => {
  it('CIFAR-10: converts planar RGB records to NHWC bytes and keeps the labels', () => {
    const batch = cifarBatch('cifar10', 6, 11);
    const split = parseCifarBin('data_batch_1.bin', 'cifar10', batch.bin);
    expect(split.count).toBe(6);
    expect(split.images).toEqual(batch.images);
    expect(split.labels).toEqual(batch.labels);
    expect(split.coarseLabels).toBeUndefined();
    // One pixel by hand: image 2, row 3, column 5, blue = record byte 1 + 2*1024 + 3*32 + 5.
    expect(split.images[2 * 3072 + (3 * 32 + 5) * 3 + 2]).toBe(batch.bin[2 * 3073 + 1 + 2048 + 3 * 32 + 5]);
  });

  it('CIFAR-100: the fine label (second byte) is the class, the coarse label is kept', () => {
    const batch = cifarBatch('cifar100', 5, 12);
    const split = parseCifarBin('train.bin', 'cifar100', batch.bin);
    expect(split.images).toEqual(batch.images);
    expect(split.labels).toEqual(batch.labels);
    expect(split.coarseLabels).toEqual(batch.coarse);
  });

  it('parses the same bytes fed in chunks that split records anywhere', () => {
    const batch = cifarBatch('cifar100', 4, 13);
    for (const size of [1, 100, 3073, 3074, 3075, 10_000]) {
      const reader = new CifarRecordReader('test.bin', 'cifar100', batch.bin.length);
      for (let at = 0; at < batch.bin.length; at += size) reader.push(batch.bin.subarray(at, at + size));
      const split = reader.finish();
      expect(split.images).toEqual(batch.images);
      expect(split.labels).toEqual(batch.labels);
    }
  });

  it('rejects a byte length that is not a whole number of records, naming the file and the record size', () => {
    const bin = cifarBatch('cifar10', 2, 14).bin;
    expect(() => parseCifarBin('data_batch_3.bin', 'cifar10', bin.subarray(0, bin.length - 1))).toThrow(
      new DatasetError(
        'data_batch_3.bin',
        '6145 bytes is not a whole number of CIFAR-10 records (expected a multiple of 3073 bytes: 1 label byte + 3072 pixel bytes)',
      ),
    );
    expect(() => parseCifarBin('test.bin', 'cifar100', bin)).toThrow(/^test\.bin: 6146 bytes .*expected a multiple of 3074 bytes/);
  });

  it('rejects a label out of range, naming the file, the record and the label', () => {
    const batch = cifarBatch('cifar10', 3, 15);
    batch.bin[2 * 3073] = 10;
    expect(() => parseCifarBin('test_batch.bin', 'cifar10', batch.bin)).toThrow(
      'test_batch.bin: record 2 (0-based): label 10 is out of range (expected 0..9 for CIFAR-10)',
    );
    const fine = cifarBatch('cifar100', 2, 16);
    fine.bin[3074 + 1] = 100;
    expect(() => parseCifarBin('train.bin', 'cifar100', fine.bin)).toThrow(
      'train.bin: record 1 (0-based): label 100 is out of range (expected 0..99 for CIFAR-100)',
    );
  });

  it('reports bytes missing at the end of a streamed batch', () => {
    const bin = cifarBatch('cifar10', 2, 17).bin;
    const reader = new CifarRecordReader('a.bin', 'cifar10', bin.length);
    reader.push(bin.subarray(0, 5000));
    expect(() => reader.finish()).toThrow('a.bin: truncated: got 5000 bytes, expected 6146 bytes');
  });

  it('class names: one a line, blank lines ignored, the count checked; official lists complete', () => {
    expect(parseClassNames('batches.meta.txt', 'a\r\nb\n\n c \n', 3)).toEqual(['a', 'b', 'c']);
    expect(() => parseClassNames('batches.meta.txt', 'a\nb\n', 10)).toThrow(
      'batches.meta.txt: has 2 class names, expected 10 (one a line)',
    );
    expect(CIFAR10_CLASSES).toHaveLength(10);
    expect(CIFAR100_CLASSES).toHaveLength(100);
    expect(new Set(CIFAR100_CLASSES).size).toBe(100);
    expect([...CIFAR100_CLASSES].sort()).toEqual([...CIFAR100_CLASSES]);
  });
});
