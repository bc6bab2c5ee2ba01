/**
 * One chart redraw per browser task. A recharts chart costs tens of milliseconds to mount or
 * update (its layout effects re-render synchronously); when an epoch arrives, a dozen charts
 * change at once, which in one task would freeze the page for a large fraction of a second.
 * Staggered values reach their component one per macrotask, in the order they changed.
 */
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

export interface TaskQueue {
  /** Queues `job`; returns a function that takes it back out if it has not run yet. */
  push(job: () => void): () => void;
}

/** Runs queued jobs one per `defer` callback (a macrotask in the page), in order. */
export function createTaskQueue(defer: (run: () => void) => void): TaskQueue {
  const queue: (() => void)[] = [];
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    defer(() => {
      scheduled = false;
      queue.shift()?.();
      if (queue.length > 0) schedule();
    });
  };
  return {
    push(job) {
      queue.push(job);
      schedule();
      return () => {
        const i = queue.indexOf(job);
        if (i >= 0) queue.splice(i, 1);
      };
    },
  };
}

const pageQueue = createTaskQueue((run) => setTimeout(run, 0));

/**
 * `value`, delivered in its own task after the earlier staggered updates; null until the first
 * delivery. A delivery renders and commits within its task (flushSync): left to React's
 * scheduler, deliveries that land before its next render task would all be drawn in that one.
 */
export function useStaggered<T>(value: T): T | null {
  const [shown, setShown] = useState<{ value: T } | null>(null);
  useEffect(() => pageQueue.push(() => flushSync(() => setShown({ value }))), [value]);
  return shown ? shown.value : null;
}
