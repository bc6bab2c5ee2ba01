/** Running the PyTorch twin's scripts from the tests. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const PYTHON = process.env.TWIN_PYTHON ?? '/usr/bin/python3';
export const TWIN_DIR = join(import.meta.dirname, '../../scripts/reference/twin');

export interface PythonResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `python3 <twin script> args` to the end (one CPU thread), with its output. */
export function runTwin(script: string, args: readonly string[], env: Record<string, string> = {}): PythonResult {
  const r = spawnSync(PYTHON, [join(TWIN_DIR, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Evaluates a Python expression with the twin's modules importable; returns its JSON value. */
export function pythonJson(code: string): unknown {
  const r = spawnSync(PYTHON, ['-c', `import sys, json; sys.path.insert(0, ${JSON.stringify(TWIN_DIR)}); ${code}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}
