import { describe, expect, it } from 'vitest';
import { gunzipBytes, gunzipChunks, isGzip } from '../../src/data/gzip';
import { readTar, type TarMember } from '../../src/data/tar';
import { readAll } from '../../src/data/streams';
import { DatasetError } from '../../src/data/errors';
import { Rng } from '../../src/engine/random';
import { gzip, makeTar, streamOf, concat } from './fixtures';

function randomBytes(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

/** Reads every regular member into memory. */
async function members(name: string, source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>) {
  const got = new Map<string, Uint8Array>();
  const summary = await readTar(name, source, (m: TarMember) => {
    const parts: Uint8Array[] = [];
    return {
      write: (c) => void parts.push(c.slice()),
      end: () => void got.set(m.path, concat(parts)),
    };
  });
  return { got, summary };
}

describe('gzip', () => {
  it('round-trips through the platform compressor, in any chunking', async () => {
    const data = randomBytes(20_000, 1);
    const gz = await gzip(data);
    expect(isGzip(gz)).toBe(true);
    expect(await gunzipBytes('x.gz', gz)).toEqual(data);
    for (const sizes of [1, 7, [1, 3, 1000], 65536]) {
      const out = await readAll(gunzipChunks('x.gz', streamOf(gz, sizes)));
      expect(out).toEqual(data);
    }
  });

  it('rejects a file that is not gzip, naming the file and the expected magic bytes', async () => {
    const err = await gunzipBytes('cifar-10-binary.tar.gz', new TextEncoder().encode('<html>404</html>')).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toMatch(/^cifar-10-binary\.tar\.gz: not gzip/);
    expect(err.message).toContain('1f 8b');
    expect(err.message).toContain('3c 68'); // what was found: "<h"
  });

  it('rejects truncated gzip data, naming the file', async () => {
    const gz = await gzip(randomBytes(50_000, 2));
    const err = await gunzipBytes('data.gz', gz.subarray(0, gz.length - 100)).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toMatch(/^data\.gz: gzip data is truncated or corrupt \(expected a complete gzip stream/);
  });

  it('passes on an error of the source itself unchanged', async () => {
    const gz = await gzip(randomBytes(10_000, 3));
    async function* failing() {
      yield gz.subarray(0, 100);
      throw new Error('network down');
    }
    await expect(readAll(gunzipChunks('x.gz', failing()))).rejects.toThrow('network down');
  });

  it('decompresses while the input is still arriving', async () => {
    const data = randomBytes(400_000, 4);
    const gz = await gzip(data);
    const log: string[] = [];
    async function* slow() {
      for (let at = 0; at < gz.length; at += 8192) {
        log.push('in');
        yield gz.subarray(at, at + 8192);
      }
      log.push('input done');
    }
    for await (const chunk of gunzipChunks('x.gz', slow())) if (chunk.length > 0) log.push('out');
    expect(log.indexOf('out')).toBeLessThan(log.indexOf('input done'));
  });
});

describe('tar', () => {
  it('reads regular members, skips directories and links, and joins the ustar prefix', async () => {
    const longDir = 'a'.repeat(60) + '/' + 'b'.repeat(60);
    const big = randomBytes(1500, 5);
    const tar = makeTar([
      { path: 'top/', type: '5' },
      { path: 'top/hello.txt', data: 'hello\n' },
      { path: 'top/link', type: '2' },
      { path: 'top/empty.bin', data: new Uint8Array(0) },
      { path: `${longDir}/file.bin`, data: big },
      { path: `gnu/${'c'.repeat(120)}.bin`, data: 'long name', gnuLongName: true },
      { path: 'exact.bin', data: randomBytes(1024, 6) },
    ]);
    for (const sizes of [1, 511, 512, 513, [100, 2000, 3], tar.length]) {
      const { got, summary } = await members('t.tar', streamOf(tar, sizes));
      expect(summary.members.map((m) => m.path)).toEqual([
        'top/hello.txt',
        'top/empty.bin',
        `${longDir}/file.bin`,
        `gnu/${'c'.repeat(120)}.bin`,
        'exact.bin',
      ]);
      expect(new TextDecoder().decode(got.get('top/hello.txt'))).toBe('hello\n');
      expect(got.get('top/empty.bin')).toEqual(new Uint8Array(0));
      expect(got.get(`${longDir}/file.bin`)).toEqual(big);
      expect(new TextDecoder().decode(got.get(`gnu/${'c'.repeat(120)}.bin`))).toBe('long name');
      expect(got.get('exact.bin')).toEqual(randomBytes(1024, 6));
    }
  });

  it('takes the path from a pax extended header', async () => {
    const long = `pax/${'p'.repeat(150)}/${'q'.repeat(120)}.bin`;
    const body = ` path=${long}\n`;
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    const tar = makeTar([
      { path: 'PaxHeaders/x', type: 'x', data: `${len}${body}` },
      { path: 'short-name.bin', data: 'pax body' },
      { path: 'next.txt', data: 'n' },
    ]);
    const { got, summary } = await members('p.tar', streamOf(tar, 300));
    expect(summary.members.map((m) => m.path)).toEqual([long, 'next.txt']);
    expect(new TextDecoder().decode(got.get(long))).toBe('pax body');
  });

  it('delivers a member in pieces while the archive streams', async () => {
    const tar = makeTar([{ path: 'big.bin', data: randomBytes(200_000, 7) }]);
    let pieces = 0;
    await readTar('t.tar', streamOf(tar, 4096), () => ({ write: () => void pieces++ }));
    expect(pieces).toBeGreaterThan(40);
  });

  it('rejects a truncated archive, naming the file and the member', async () => {
    const tar = makeTar([{ path: 'd/data_batch_1.bin', data: randomBytes(5000, 8) }]);
    const err = await members('x.tar', streamOf(tar.subarray(0, 3000))).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe(
      'x.tar: truncated tar archive (member d/data_batch_1.bin should have 5000 bytes, the archive ended after 2488 bytes)',
    );
    const noEnd = await members('y.tar', streamOf(makeTar([{ path: 'a', data: 'x' }], 0))).catch((e) => e);
    expect(noEnd.message).toMatch(/^y\.tar: truncated tar archive \(ended after member a without the end-of-archive marker\)/);
    const midHeader = await members('z.tar', streamOf(tar.subarray(0, 300))).catch((e) => e);
    expect(midHeader.message).toMatch(/^z\.tar: truncated tar archive \(ended inside a 512-byte header/);
  });

  it('rejects data that is not a tar archive (bad header checksum)', async () => {
    const err = await members('n.tar', streamOf(randomBytes(2048, 9))).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toMatch(/^n\.tar: corrupt tar header at byte 0 \(expected a tar archive/);
  });

  it('reads a gzipped tar as one stream', async () => {
    const tar = makeTar([{ path: 'a.txt', data: 'abc' }]);
    const gz = await gzip(tar);
    const { got } = await members('a.tar.gz', gunzipChunks('a.tar.gz', streamOf(gz, 5)));
    expect(new TextDecoder().decode(got.get('a.txt'))).toBe('abc');
  });
});
