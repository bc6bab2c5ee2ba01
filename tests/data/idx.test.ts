import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/data/errors';
import { FASHION_MNIST_CLASSES, idxRole, loadFashionMnist, padImages, parseIdxImages } from '../../src/data/idx';
import { loadDatasetFiles } from '../../src/data/load';
import { channelStats } from '../../src/data/stats';
import type { NamedBytes } from '../../src/data/types';
import { fashionFiles, gzip, idxImages, idxLabels } from './fixtures';

/** Where pixel (row, col) of 28×28 image n lands in the padded 32×32 output. */
const padded = (n: number, row: number, col: number) => n * 1024 + (row + 2) * 32 + col + 2;

function replace(files: NamedBytes[], name: string, bytes: Uint8Array): NamedBytes[] {
  return files.map((f) => (f.name === name ? { name, bytes } : f));
}

describe('Fashion-MNIST IDX files', () => {
  for (const gz of [false, true]) {
    it(`round-trips pixels and labels, padded 28×28 → 32×32, ${gz ? 'gzipped' : 'plain'}`, async () => {
      const fx = await fashionFiles(5, 3, gz);
      const d = await loadFashionMnist(fx.files);
      expect(d.name).toBe('fashion-mnist');
      expect([d.height, d.width, d.channels]).toEqual([32, 32, 1]);
      expect(d.classNames).toEqual(FASHION_MNIST_CLASSES);
      expect(d.train.count).toBe(5);
      expect(d.test.count).toBe(3);
      expect(d.train.labels).toEqual(fx.train.labels);
      expect(d.test.labels).toEqual(fx.test.labels);
      for (let n = 0; n < 5; n++) {
        for (let r = 0; r < 28; r++) {
          for (let c = 0; c < 28; c++) {
            expect(d.train.images[padded(n, r, c)]).toBe(fx.train.pixels[n * 784 + r * 28 + c]);
          }
        }
      }
      // The border is black.
      let border = 0;
      for (let n = 0; n < 3; n++) {
        for (let r = 0; r < 32; r++) {
          for (let c = 0; c < 32; c++) {
            if (r < 2 || r >= 30 || c < 2 || c >= 30) border += d.test.images[n * 1024 + r * 32 + c];
          }
        }
      }
      expect(border).toBe(0);
      expect(d.mean).toEqual(channelStats(d.train.images, 1).mean);
    });
  }

  it('detects gzip by its magic bytes, whatever the name says, and mixes plain and gzipped files', async () => {
    const fx = await fashionFiles(2, 2, false);
    const files = fx.files.map((f, i) => (i % 2 ? { name: `${f.name}.gz`, bytes: f.bytes } : f));
    files[0] = { name: files[0].name, bytes: await gzip(files[0].bytes) };
    const d = await loadDatasetFiles(files);
    expect(d.name).toBe('fashion-mnist');
    expect(d.train.labels).toEqual(fx.train.labels);
  });

  it('rejects a wrong magic number, naming the file and the expected magic', async () => {
    const fx = await fashionFiles(2, 2, false);
    const bad = idxImages(2, 28, 28, fx.train.pixels, 2049);
    const err = await loadFashionMnist(replace(fx.files, 'train-images-idx3-ubyte', bad)).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe('train-images-idx3-ubyte: wrong magic number 2049 (expected 2051 for an IDX images file)');
  });

  it('rejects image and label counts that differ, naming both files and what was expected', async () => {
    const fx = await fashionFiles(3, 2, true);
    const labels = await gzip(idxLabels(fx.test.labels.subarray(0, 1)));
    const err = await loadFashionMnist(replace(fx.files, 't10k-labels-idx1-ubyte.gz', labels)).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe(
      't10k-labels-idx1-ubyte.gz: has 1 labels but t10k-images-idx3-ubyte.gz has 2 images (expected one label per image)',
    );
  });

  it('rejects a file whose size does not match the count in its header', () => {
    const bytes = idxImages(3, 28, 28, new Uint8Array(2 * 784));
    expect(() => parseIdxImages('train-images-idx3-ubyte', bytes)).toThrow(
      'train-images-idx3-ubyte: has 1584 bytes, expected 2368 (a 16-byte header + 3×28×28 pixel bytes as the header says)',
    );
  });

  it('rejects a label out of range, naming the file, the label index and the range', async () => {
    const fx = await fashionFiles(3, 2, false);
    const labels = fx.train.labels.slice();
    labels[1] = 10;
    const err = await loadFashionMnist(replace(fx.files, 'train-labels-idx1-ubyte', idxLabels(labels))).catch((e) => e);
    expect(err.message).toBe('train-labels-idx1-ubyte: label 1 (0-based) is 10, out of range (expected 0..9)');
  });

  it('rejects images that are not 28×28 and a missing file', async () => {
    const fx = await fashionFiles(2, 2, false);
    const err = await loadFashionMnist(
      replace(fx.files, 'train-images-idx3-ubyte', idxImages(2, 27, 29, new Uint8Array(2 * 27 * 29))),
    ).catch((e) => e);
    expect(err.message).toBe('train-images-idx3-ubyte: images are 27×29, expected 28×28 (Fashion-MNIST)');
    const missing = await loadFashionMnist(fx.files.slice(0, 3)).catch((e) => e);
    expect(missing.message).toMatch(/: missing t10k-labels-idx1-ubyte \(expected the four Fashion-MNIST IDX files/);
  });

  it('pads images and recognises file names', () => {
    expect(Array.from(padImages(new Uint8Array([1, 2, 3, 4]), 1, 2, 2, 1))).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
    expect(idxRole('x/t10k-images-idx3-ubyte.gz')).toEqual({ split: 't10k', kind: 'images' });
    expect(idxRole('train-labels.idx1-ubyte')).toEqual({ split: 'train', kind: 'labels' });
    expect(idxRole('train.bin')).toBeNull();
  });
});
