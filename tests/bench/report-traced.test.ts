import { describe, expect, it } from 'vitest';
import { BENCH_FORMAT, markdownReport, type BenchRecord } from '../../scripts/bench/report';

const record = (longTasks: BenchRecord['longTasks']): BenchRecord => ({
  format: BENCH_FORMAT,
  createdAt: '2026-01-01T00:00:00.000Z',
  command: 'npm run bench -- --long-tasks-only',
  profile: 'full',
  machine: { cpus: 2, cpuModel: 'Some CPU', memoryGiB: 8, platform: 'linux', node: '20', chromium: '1' },
  throughput: [],
  torch: null,
  torchUnavailable: null,
  overhead: null,
  longTasks,
  seconds: 60,
});

describe('the long-task line of the bench report', () => {
  it("adds the traced tasks' thread CPU time: median, longest and how many are over 50 ms", () => {
    const md = markdownReport(
      record({
        count: 3,
        maxMs: 300,
        durationsMs: [60, 120, 300],
        runSeconds: 50,
        traced: [
          { wallMs: 60, cpuMs: 20 },
          { wallMs: 120, cpuMs: 30 },
          { wallMs: 300, cpuMs: 80 },
          { wallMs: 70, cpuMs: null },
        ],
      }),
    );
    expect(md).toContain('3 long task(s), longest 300 ms ✗');
    expect(md).toContain("thread CPU time (Chromium's trace, 3 tasks): median 30 ms, longest 80 ms, 1 over 50 ms.");
  });

  it('says nothing of thread time for a record without a trace', () => {
    const md = markdownReport(record({ count: 1, maxMs: 70, durationsMs: [70], runSeconds: 12 }));
    expect(md).toContain('1 long task(s), longest 70 ms ✗');
    expect(md).not.toContain('thread CPU');
  });
});
