/**
 * Lets queued messages (pause, stop) in between training steps. A MessageChannel round trip
 * is a macrotask without setTimeout's 4 ms clamp; awaiting a resolved promise would not do,
 * since microtasks run before any message event.
 */
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

export function yieldToEventLoop(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // In Node, don't keep the process alive for this port.
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}
