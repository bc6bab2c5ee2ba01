import { describe, expect, it } from 'vitest';
import { createTaskQueue } from '../../src/ui/stagger';

describe('staggered chart updates', () => {
  it('runs one job per task, in the order queued, and drops cancelled ones', () => {
    const tasks: (() => void)[] = [];
    const queue = createTaskQueue((run) => tasks.push(run));
    const ran: string[] = [];
    queue.push(() => ran.push('a'));
    const cancelB = queue.push(() => ran.push('b'));
    queue.push(() => ran.push('c'));
    expect(tasks).toHaveLength(1); // one pending task at a time
    cancelB();
    tasks.shift()!();
    expect(ran).toEqual(['a']);
    tasks.shift()!();
    expect(ran).toEqual(['a', 'c']);
    expect(tasks).toHaveLength(0);
    queue.push(() => ran.push('d'));
    tasks.shift()!();
    expect(ran).toEqual(['a', 'c', 'd']);
  });
});
