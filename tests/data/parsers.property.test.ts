/**
 * Property-based tests of the gzip, tar, CIFAR and IDX readers: random truncations and
 * corruptions of valid files either load or are refused with a DatasetError naming the file;
 * nothing else is thrown, and no allocation exceeds the loaders' declared bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/data/errors';
import { gunzipBytes } from '../../src/data/gzip';
import { loadFashionMnist } from '../../src/data/idx';
import { CIFAR100_RECORDS, FASHION_MNIST_COUNTS } from '../../src/data/limits';
import { loadCifarArchive } from '../../src/data/load';
import { readTar } from '../../src/data/tar';
import type { NamedBytes } from '../../src/data/types';
import { largestUint8Array } from './allocations';
import { fashionFiles, gzip, makeCifarArchive } from './fixtures';

/** The most any loader may allocate at once: CIFAR-100's train.bin, the largest capped file. */
const CIFAR_BOUND = CIFAR100_RECORDS.train * 3074;
const IDX_BOUND = FASHION_MNIST_COUNTS.train * 32 * 32;

type Mutation =
  { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; value: number } | { kind: 'insert'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
);

function apply(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'flip') out[at] = m.value;
    else out = new Uint8Array([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
  }
  return out;
}

/** The outcome is a load or a DatasetError naming one of `names` (or a member of one). */
function expectNamedRefusal(error: unknown, names: readonly string[]): void {
  if (error === undefined) return;
  expect(error).toBeInstanceOf(DatasetError);
  const file = (error as DatasetError).file;
  expect(
    names.some((n) => file === n || file.startsWith(`${n}/`) || file.includes(n)),
    `${file} names no input`,
  ).toBe(true);
}

/** Mutations focused on the first bytes, where headers are. */
const headerFocused = fc.array(
  mutation.map((m) => ({ ...m, at: m.at % 1100 })),
  { minLength: 1, maxLength: 4 },
);
const anywhere = fc.array(mutation, { minLength: 1, maxLength: 4 });

describe('property: corrupt archives', () => {
  it('a mutated tar (inside a valid gzip) loads or is refused by name, within the allocation bound', async () => {
    const a = await makeCifarArchive('cifar10', {
      batches: 2,
      perBatch: 3,
      testCount: 2,
      classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(headerFocused, anywhere), async (ms) => {
        const gz = await gzip(apply(a.tar, ms));
        const { error, largest } = await largestUint8Array(() => loadCifarArchive('m.tar.gz', [gz]));
        expectNamedRefusal(error, ['m.tar.gz']);
        expect(largest).toBeLessThanOrEqual(CIFAR_BOUND);
      }),
      { numRuns: 120 },
    );
  });

  it('mutated gzip bytes are refused by name (or decode), never another error', async () => {
    const a = await makeCifarArchive('cifar100', { perBatch: 3, testCount: 2 });
    await fc.assert(
      fc.asyncProperty(anywhere, async (ms) => {
        const { error, largest } = await largestUint8Array(() => loadCifarArchive('n.tar.gz', [apply(a.gz, ms)]));
        expectNamedRefusal(error, ['n.tar.gz']);
        expect(largest).toBeLessThanOrEqual(CIFAR_BOUND);
        const raw = await gunzipBytes('n.gz', apply(a.gz, ms)).then(
          () => undefined,
          (e: unknown) => e,
        );
        expectNamedRefusal(raw, ['n.gz']);
      }),
      { numRuns: 80 },
    );
  });

  it('the plain tar reader refuses any truncation of a valid archive before its marker, by name', async () => {
    const a = await makeCifarArchive('cifar10', { batches: 1, perBatch: 2, testCount: 2 });
    const markerAt = a.tar.length - 1024;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: markerAt - 1 }), async (at) => {
        const err = await readTar('t.tar', [a.tar.subarray(0, at)], () => null).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(DatasetError);
        expect((err as DatasetError).file).toBe('t.tar');
      }),
      { numRuns: 100 },
    );
  });
});

describe('property: corrupt IDX files', () => {
  it('a mutated IDX file, plain or gzipped, loads or is refused by name, within the allocation bound', async () => {
    const fx = await fashionFiles(3, 2, false);
    const names = fx.files.map((f) => f.name);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.oneof(headerFocused, anywhere), async (which, gz, ms) => {
        const files: NamedBytes[] = await Promise.all(
          fx.files.map(async (f, i) => {
            if (i !== which) return f;
            const bytes = apply(f.bytes, ms);
            return { name: f.name, bytes: gz ? await gzip(bytes) : bytes };
          }),
        );
        const { error, largest } = await largestUint8Array(() => loadFashionMnist(files));
        expectNamedRefusal(error, names);
        expect(largest).toBeLessThanOrEqual(IDX_BOUND);
      }),
      { numRuns: 150 },
    );
  });
});
