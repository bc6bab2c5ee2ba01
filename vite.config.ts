import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation: with these the page gets SharedArrayBuffer, which tfjs's WASM backend
// needs for its multi-threaded build. A static host must send the same two headers (README).
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * tfjs's threaded WASM module starts its threads from `factory.toString()` in a blob. Inside the
 * factory, `_scriptDir` (a variable of the enclosing scope) is read behind a typeof guard; the
 * minifier, seeing the variable declared, drops the guard, so each thread dies with a
 * ReferenceError. Reading it as a property of the global object keeps the guard meaningful (the
 * page passes the script and the .wasm locations explicitly, so the value is never needed).
 */
function tfjsWasmThreadsSurviveMinify(): Plugin {
  return {
    name: 'tfjs-wasm-threads-survive-minify',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js')) return null;
      const inner = code.indexOf('function(WasmBackendModuleThreadedSimd)');
      if (inner < 0) return null;
      return { code: code.slice(0, inner) + code.slice(inner).replaceAll('_scriptDir', 'globalThis._scriptDir'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [react()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsSurviveMinify()] },
  // The worker's imports are found late by the dev server's scan; listing them up front avoids a
  // reload (which would cut a first run short) when the worker starts.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', 'idb'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // bench.html measures throughput on the visitor's own GPU (and is what npm run bench drives).
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
});
