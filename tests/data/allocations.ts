/**
 * Records the largest typed array of bytes that code asks for while `fn` runs, by standing a
 * counting constructor in for the global `Uint8Array` (the parsers allocate through it).
 */
export async function largestUint8Array<T>(fn: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; largest: number }> {
  const original = globalThis.Uint8Array;
  let largest = 0;
  const counting: Uint8ArrayConstructor = new Proxy(original, {
    construct(target, args, newTarget): object {
      const n = args[0];
      if (typeof n === 'number' && n > largest) largest = n;
      else if (n instanceof ArrayBuffer && n.byteLength > largest) largest = n.byteLength;
      return Reflect.construct(target, args, newTarget === counting ? target : newTarget);
    },
  });
  globalThis.Uint8Array = counting;
  try {
    const result = await fn();
    return { result, error: undefined, largest };
  } catch (error) {
    return { result: undefined, error, largest };
  } finally {
    globalThis.Uint8Array = original;
  }
}
