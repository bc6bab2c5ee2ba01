/**
 * Main-thread tasks in a Chromium trace (categories TASK_TRACE_CATEGORIES), with the CPU time
 * the thread spent on each. On a loaded machine a task's wall time includes the time its thread
 * waited for a core; the thread time is the page's own work.
 */
export const TASK_TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

export interface TracedTask {
  wallMs: number;
  /** Thread (CPU) time; null where the trace has none for the task. */
  cpuMs: number | null;
}

interface TraceEvent {
  name?: string;
  ph?: string;
  pid?: number;
  tid?: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** The renderer main threads' tasks longer than `overMs` wall-clock, in trace order. */
export function longMainThreadTasks(trace: { traceEvents?: TraceEvent[] } | TraceEvent[], overMs: number): TracedTask[] {
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
  const main = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`) && (e.dur ?? 0) > overMs * 1000)
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: e.tdur === undefined ? null : e.tdur / 1000 }));
}
