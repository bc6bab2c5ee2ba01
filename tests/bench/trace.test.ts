import { describe, expect, it } from 'vitest';
import { longMainThreadTasks } from '../../scripts/bench/trace';

describe('long main-thread tasks in a Chromium trace', () => {
  it('keeps the renderer main thread tasks over the limit, with their thread time', () => {
    const trace = {
      traceEvents: [
        { ph: 'M', name: 'thread_name', pid: 1, tid: 10, args: { name: 'CrRendererMain' } },
        { ph: 'M', name: 'thread_name', pid: 1, tid: 11, args: { name: 'DedicatedWorker thread' } },
        { ph: 'X', name: 'RunTask', pid: 1, tid: 10, dur: 120_000, tdur: 30_000 },
        { ph: 'X', name: 'RunTask', pid: 1, tid: 10, dur: 40_000, tdur: 39_000 },
        { ph: 'X', name: 'RunTask', pid: 1, tid: 11, dur: 900_000, tdur: 900_000 },
        { ph: 'X', name: 'FunctionCall', pid: 1, tid: 10, dur: 100_000, tdur: 100_000 },
        { ph: 'X', name: 'RunTask', pid: 1, tid: 10, dur: 60_000 },
      ],
    };
    expect(longMainThreadTasks(trace, 50)).toEqual([
      { wallMs: 120, cpuMs: 30 },
      { wallMs: 60, cpuMs: null },
    ]);
  });

  it('reads a bare event array too, and an empty trace', () => {
    expect(longMainThreadTasks([], 50)).toEqual([]);
    expect(longMainThreadTasks({}, 50)).toEqual([]);
  });
});
