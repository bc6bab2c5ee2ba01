/// <reference types="vite/client" />
/**
 * Where the page finds tfjs's WASM binaries: vite copies them into the build output and gives
 * their hashed URLs. tfjs picks the multi-threaded build only where the page is cross-origin
 * isolated (it needs SharedArrayBuffer; see the README for the headers a host must send), with
 * half the logical cores as threads (its own cap), at most 8.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

let done = false;

export function locateWasmFiles(): void {
  if (done) return;
  done = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainUrl,
    'tfjs-backend-wasm-simd.wasm': simdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl,
  });
}
