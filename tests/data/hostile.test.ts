/**
 * Files that lie about their sizes, bombs, and incomplete sets: each is refused by name before
 * memory is allocated for what it claims, or loaded with a note that says what was found.
 */
import { describe, expect, it, vi } from 'vitest';
import { DatasetError } from '../../src/data/errors';
import { loadFashionMnist } from '../../src/data/idx';
import { IdxReader } from '../../src/data/idx-reader';
import { loadCifarArchive, loadDatasetFiles } from '../../src/data/load';
import { MAX_CLASS_NAMES_BYTES } from '../../src/data/limits';
import { largestUint8Array } from './allocations';
import { cifarBatch, concat, fashionFiles, gzip, headerBlock, idxImages, idxLabels, makeCifarArchive, makeTar } from './fixtures';

const MB = 1 << 20;

/** A tar whose one member claims `size` bytes but holds only `held` of them. */
function lyingTar(path: string, size: number, held = 4096): Uint8Array {
  return concat([headerBlock(path, size), new Uint8Array(held)]);
}

function withChecksum(block: Uint8Array): Uint8Array {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  return block;
}

async function refusal(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

describe('sizes a file claims are checked before anything is allocated', () => {
  it('a CIFAR-10 batch claiming 300,000 records is refused by name, allocating nothing of that size', async () => {
    const tar = lyingTar('cifar-10-batches-bin/data_batch_1.bin', 300_000 * 3073);
    const gz = await gzip(tar);
    const { error, largest } = await largestUint8Array(() => loadCifarArchive('c.tar.gz', [gz]));
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(
      'c.tar.gz/cifar-10-batches-bin/data_batch_1.bin: claims 300000 CIFAR-10 records (921900000 bytes); a real file of this name holds at most 10000',
    );
    expect(largest).toBeLessThan(4 * MB);
  });

  it("CIFAR-100's train.bin may hold 50,000 records, test.bin 10,000: one more is refused", async () => {
    const train = await refusal(loadCifarArchive('d.tar', [lyingTar('cifar-100-binary/train.bin', 50_001 * 3074)]));
    expect(train.message).toMatch(/^d\.tar\/cifar-100-binary\/train\.bin: claims 50001 CIFAR-100 records .* at most 50000$/);
    const test = await refusal(loadCifarArchive('d.tar', [lyingTar('cifar-100-binary/test.bin', 10_001 * 3074)]));
    expect(test.message).toMatch(/test\.bin: claims 10001 CIFAR-100 records .* at most 10000$/);
  });

  it('a member claiming 8 GiB (octal) or 2^80 bytes (base-256) is a dataset error naming the file, not a RangeError', async () => {
    const octal = await refusal(loadCifarArchive('e.tar', [lyingTar('data_batch_2.bin', 7 * 2 ** 30 + 3073 * 7)]));
    expect(octal.file).toBe('e.tar/data_batch_2.bin');
    const block = headerBlock('data_batch_1.bin', 0);
    block.fill(0, 124, 136);
    block[124] = 0x80;
    block[126] = 1; // 2^80
    const huge = await refusal(loadCifarArchive('f.tar', [concat([withChecksum(block), new Uint8Array(1024)])]));
    expect(huge.message).toMatch(/^f\.tar: corrupt tar header at byte 0 \(size field claims an impossible/);
  });

  it('a class-names member longer than any real one is refused by name, not buffered', async () => {
    const a = await makeCifarArchive('cifar10', { batches: 1, perBatch: 2, testCount: 2 });
    const names = 'x\n'.repeat(MAX_CLASS_NAMES_BYTES);
    const tar = makeTar([
      { path: 'cifar-10-batches-bin/batches.meta.txt', data: names },
      { path: 'cifar-10-batches-bin/test_batch.bin', data: a.test.bin },
    ]);
    const err = await refusal(loadCifarArchive('g.tar', [tar]));
    expect(err.message).toBe(
      `g.tar/cifar-10-batches-bin/batches.meta.txt: is larger than ${MAX_CLASS_NAMES_BYTES} bytes (expected a short list of class names, one a line)`,
    );
    const files = await refusal(
      loadDatasetFiles([
        { name: 'batches.meta.txt', bytes: new TextEncoder().encode(names) },
        { name: 'test_batch.bin', bytes: a.test.bin },
      ]),
    );
    expect(files.file).toBe('batches.meta.txt');
  });
});

describe('archives that add up to more than a real one', () => {
  it('training batches beyond the official 50,000 records in all are refused before they are read', async () => {
    // Six batches of 10,000 records each, each within its own limit: the sixth is one too many.
    const files = [1, 2, 3, 4, 5, 6].map((n) => ({ name: `data_batch_${n}.bin`, bytes: new Uint8Array(10_000 * 3073) }));
    const err = await refusal(Promise.resolve().then(() => loadDatasetFiles(files)));
    expect(err.message).toBe('data_batch_6.bin: brings the training records to 60000, more than the 50000 of the official CIFAR-10 set');
  });

  it('a tar of more entries than any dataset archive is refused by name', async () => {
    const tar = makeTar(Array.from({ length: 10_001 }, (_, i) => ({ path: `d${i}/`, type: '5' })));
    const err = await refusal(loadCifarArchive('many.tar', [tar]));
    expect(err.message).toBe('many.tar: has more than 10000 entries (expected a dataset archive of a few files)');
  });
});

describe('gzipped IDX files are read as they decompress', () => {
  it('a wrong magic number is found on the first bytes of a 100 MB bomb, without decompressing it', async () => {
    const fx = await fashionFiles(2, 2, true);
    const bomb = await gzip(concat([new Uint8Array(16), new Uint8Array(100 * MB)]));
    const files = fx.files.map((f) => (f.name === 'train-images-idx3-ubyte.gz' ? { name: f.name, bytes: bomb } : f));
    const { error, largest } = await largestUint8Array(() => loadFashionMnist(files));
    expect((error as Error).message).toBe('train-images-idx3-ubyte.gz: wrong magic number 0 (expected 2051 for an IDX images file)');
    expect(largest).toBeLessThan(4 * MB);
  });

  it('decompression stops at the first byte beyond the size the header declares', async () => {
    const pushed: number[] = [];
    const original = IdxReader.prototype.push;
    const fx = await fashionFiles(2, 2, true);
    const longer = await gzip(concat([idxImages(2, 28, 28, new Uint8Array(2 * 784)), new Uint8Array(50 * MB)]));
    const files = fx.files.map((f) => (f.name === 'train-images-idx3-ubyte.gz' ? { name: f.name, bytes: longer } : f));
    IdxReader.prototype.push = function (chunk: Uint8Array) {
      pushed.push(chunk.length);
      return original.call(this, chunk);
    };
    try {
      const err = await refusal(loadFashionMnist(files));
      expect(err.message).toMatch(/^train-images-idx3-ubyte\.gz: has more than the 1584 bytes its header declares/);
    } finally {
      IdxReader.prototype.push = original;
    }
    expect(pushed.reduce((a, b) => a + b, 0)).toBeLessThan(4 * MB);
  });

  it("counts above Fashion-MNIST's are refused from the header, before allocating", async () => {
    const fx = await fashionFiles(2, 2, true);
    const header = idxImages(60_001, 28, 28, new Uint8Array(0));
    const files = fx.files.map((f) => (f.name === 'train-images-idx3-ubyte.gz' ? { name: 'train-images-idx3-ubyte', bytes: header } : f));
    const { error, largest } = await largestUint8Array(() => loadFashionMnist(files));
    expect((error as Error).message).toBe(
      'train-images-idx3-ubyte: header claims 60001 images; a real file of this name holds at most 60000',
    );
    expect(largest).toBeLessThan(MB);
    const labels = fx.files.map((f) =>
      f.name === 't10k-labels-idx1-ubyte.gz' ? { name: 't10k-labels-idx1-ubyte', bytes: idxLabels(new Uint8Array(0), 10_001) } : f,
    );
    expect((await refusal(loadFashionMnist(labels))).message).toMatch(
      /^t10k-labels-idx1-ubyte: header claims 10001 labels; .* at most 10000$/,
    );
  });

  it('an empty split is refused by name (it would make every run diverge)', async () => {
    const fx = await fashionFiles(2, 2, false);
    const files = fx.files.map((f) =>
      f.name === 't10k-images-idx3-ubyte'
        ? { name: f.name, bytes: idxImages(0, 28, 28, new Uint8Array(0)) }
        : f.name === 't10k-labels-idx1-ubyte'
          ? { name: f.name, bytes: idxLabels(new Uint8Array(0)) }
          : f,
    );
    const err = await refusal(loadFashionMnist(files));
    expect(err.message).toBe("t10k-images-idx3-ubyte: holds no images (the header's count is 0; expected at least one)");
  });
});

describe('the tar reader stops at the end-of-archive marker', () => {
  /** A stream of `head` then zeros without end; records whether it was cancelled and how much was read. */
  function endless(head: Uint8Array) {
    const seen = { cancelled: false, chunks: 0 };
    let sentHead = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        seen.chunks++;
        // A reader that went on past the marker fails here rather than running forever.
        if (seen.chunks > 64) return controller.error(new Error('read far past the end-of-archive marker'));
        if (!sentHead) {
          sentHead = true;
          controller.enqueue(head);
        } else controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    return { stream, seen };
  }

  it('a valid .tar followed by an endless body loads and the body is cancelled', async () => {
    const a = await makeCifarArchive('cifar10', { batches: 1, perBatch: 3, testCount: 2 });
    const { stream, seen } = endless(a.tar);
    const d = await loadCifarArchive('h.tar', stream);
    expect(d.train.count).toBe(3);
    expect(seen.cancelled).toBe(true);
    expect(seen.chunks).toBeLessThan(4);
  });

  it('a valid .tar.gz followed by 200 MB of compressed zeros loads without inflating them', async () => {
    const a = await makeCifarArchive('cifar10', { batches: 1, perBatch: 3, testCount: 2 });
    const gz = await gzip(concat([a.tar, new Uint8Array(200 * MB)]));
    let read = 0;
    let cancelled = false;
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= gz.length) return controller.close();
        const chunk = gz.slice(at, at + 1024);
        at += chunk.length;
        read += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const d = await loadCifarArchive('i.tar.gz', stream);
    expect(d.test.count).toBe(2);
    // The decompressor's pump cancels the source as soon as its pending write returns.
    await vi.waitFor(() => expect(cancelled).toBe(true));
    expect(read).toBeLessThan(gz.length / 2);
  });
});

describe('an incomplete or oddly named CIFAR set loads with a note saying what was found', () => {
  it('two of five batches, and a batch 99', async () => {
    const a = await makeCifarArchive('cifar10', { batches: 2, perBatch: 2, testCount: 2 });
    const d = await loadCifarArchive('j.tar.gz', [a.gz]);
    expect(d.notes).toEqual([
      'j.tar.gz: found training batches data_batch_1.bin, data_batch_2.bin; missing data_batch_3.bin, data_batch_4.bin, data_batch_5.bin. Training uses the batches found.',
      'j.tar.gz: 4 training and 2 test images; the official CIFAR-10 has 50000 and 10000.',
    ]);
    const odd = await loadDatasetFiles([
      { name: 'data_batch_99.bin', bytes: cifarBatch('cifar10', 2, 1).bin },
      { name: 'test_batch.bin', bytes: cifarBatch('cifar10', 2, 2).bin },
    ]);
    expect(odd.notes?.[0]).toBe(
      'data_batch_99.bin, test_batch.bin: found training batches data_batch_99.bin; missing data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin; data_batch_99.bin is not part of the official set (data_batch_1..5.bin). Training uses the batches found.',
    );
  });
});
