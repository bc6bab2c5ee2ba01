import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, parseArgs, progressBar, CIFAR_SOURCES } from '../../scripts/fetch-cifar';
import { loadCifarArchive } from '../../src/data/load';
import { streamFromBytes } from '../../src/data/streams';
import { makeCifarArchive } from '../data/fixtures';

let server: Server;
let base = '';
let archive: Uint8Array;
const dirs: string[] = [];

beforeAll(async () => {
  archive = (await makeCifarArchive('cifar10', { batches: 2, perBatch: 40, testCount: 10 })).gz;
  server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/cifar-10-binary.tar.gz' || url === '/any-name') {
      res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': archive.length });
      // In pieces, so the client sees a stream.
      let at = 0;
      const next = () => {
        if (at >= archive.length) return res.end();
        res.write(archive.subarray(at, at + 16384), next);
        at += 16384;
      };
      next();
    } else if (url === '/short') {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, archive.length >> 1), () => res.socket?.destroy());
    } else if (url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>moved</html>');
    } else {
      res.writeHead(404, 'Not Found');
      res.end('no');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'fetch-cifar-'));
  dirs.push(d);
  return d;
}

async function run(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const code = await main(argv, { stderr: { write: (t: string) => (err += t) }, isTTY: false }, { write: (t: string) => (out += t) });
  return { code, err, out };
}

/** Runs the script as the CLI does, in a child process. */
function spawnScript(args: string[], viaNpm = false): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const [cmd, argv] = viaNpm
    ? ['npm', ['run', '--silent', 'fetch:cifar', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'scripts/fetch-cifar.ts', ...args]];
  return new Promise((ok) => {
    const child = spawn(cmd, argv, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => ok({ code, stderr, stdout }));
  });
}

describe('fetch:cifar', () => {
  it('downloads into the out folder, checks the size, writes index.json, and the archive loads', async () => {
    const out = await tempDir();
    const r = await run(['cifar10', '--url', `${base}/any-name`, '--out', out, '--expect-bytes', String(archive.length)]);
    expect(r.err).not.toContain('fetch:cifar:');
    expect(r.code).toBe(0);
    expect(r.err).toContain('100.0%');
    const saved = new Uint8Array(await readFile(join(out, 'cifar-10-binary.tar.gz')));
    expect(Buffer.compare(saved, archive)).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8'))).toEqual({
      datasets: [{ name: 'cifar10', file: 'cifar-10-binary.tar.gz', bytes: archive.length }],
    });
    expect((await readdir(out)).sort()).toEqual(['cifar-10-binary.tar.gz', 'index.json']);
    const d = await loadCifarArchive('cifar-10-binary.tar.gz', streamFromBytes(saved));
    expect(d.train.count).toBe(80);

    // A second run finds the file and does not download again.
    const again = await run(['cifar10', '--url', `${base}/missing`, '--out', out, '--expect-bytes', String(archive.length)]);
    expect(again.code).toBe(0);
    expect(again.err).toContain('already present');
  });

  it('without --expect-bytes, a custom --url is still checked against content-length', async () => {
    const out = await tempDir();
    expect((await run(['cifar10', '--url', `${base}/cifar-10-binary.tar.gz`, '--out', out])).code).toBe(0);
    const short = await tempDir();
    const r = await run(['cifar10', '--url', `${base}/short`, '--out', short]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/fetch:cifar: download of .*\/short failed after \d+ bytes|received \d+ bytes, content-length said/);
    expect(await readdir(short)).toEqual([]);
  });

  it('a size mismatch is an error and leaves no file', async () => {
    const out = await tempDir();
    const r = await run(['cifar10', '--url', `${base}/any-name`, '--out', out, '--expect-bytes', '170052171']);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      `fetch:cifar: ${base}/any-name has ${archive.length} bytes (content-length), expected 170052171; not downloaded`,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('reports HTTP errors and non-gzip bodies, leaving no file', async () => {
    const out = await tempDir();
    const notFound = await run(['cifar100', '--url', `${base}/nothing`, '--out', out]);
    expect(notFound.code).toBe(1);
    expect(notFound.err.trim()).toBe(`fetch:cifar: download of ${base}/nothing failed (HTTP 404 Not Found)`);
    const html = await run(['cifar100', '--url', `${base}/html`, '--out', out]);
    expect(html.code).toBe(1);
    expect(html.err).toContain('is not gzip (expected cifar-100-binary.tar.gz');
    expect(await readdir(out)).toEqual([]);
  });

  it('index.json keeps archives that are present and drops those that are gone', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'cifar-100-binary.tar.gz'), 'abc');
    await writeFile(
      join(out, 'index.json'),
      JSON.stringify({
        datasets: [
          { name: 'cifar100', file: 'cifar-100-binary.tar.gz', bytes: 1 },
          { name: 'fashion-mnist', file: 'gone.gz', bytes: 5 },
        ],
      }),
    );
    expect((await run(['cifar10', '--url', `${base}/any-name`, '--out', out])).code).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8')).datasets).toEqual([
      { name: 'cifar10', file: 'cifar-10-binary.tar.gz', bytes: archive.length },
      { name: 'cifar100', file: 'cifar-100-binary.tar.gz', bytes: 3 },
    ]);
  });

  it('parses arguments: official URL and size by default, none for a custom URL', () => {
    expect(parseArgs(['cifar100'])).toMatchObject({
      url: CIFAR_SOURCES.cifar100.url,
      expectBytes: 168513733,
      out: 'public/datasets',
    });
    expect(parseArgs(['cifar10']).expectBytes).toBe(170052171);
    expect(parseArgs(['cifar10', '--url', 'http://x/y']).expectBytes).toBeNull();
    expect(parseArgs(['cifar10', '--url', 'http://x/y', '--expect-bytes', '12']).expectBytes).toBe(12);
    expect(progressBar(50, 100, 10)).toBe('[#####-----]  50.0%  0.0/0.0 MB');
  });

  it('bad usage: one plain line on stderr, non-zero exit, no stack trace (as a process)', async () => {
    for (const args of [['cifar1000'], [], ['cifar10', '--url'], ['cifar10', '--bogus'], ['cifar10', '--expect-bytes', 'x']]) {
      const r = await spawnScript(args);
      expect(r.code).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^fetch:cifar: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await spawnScript(['cifar1000'])).stderr.trim()).toBe(
      'fetch:cifar: unknown dataset "cifar1000" (expected cifar10 or cifar100)',
    );
  });

  it('runs through the npm script', async () => {
    const out = await tempDir();
    const r = await spawnScript(['cifar10', '--url', `${base}/any-name`, '--out', out], true);
    expect(r.stderr).toContain('saved');
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['cifar-10-binary.tar.gz', 'index.json']);
  });
});
