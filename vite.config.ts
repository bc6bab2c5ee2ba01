import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation: with these the page gets SharedArrayBuffer, which tfjs's WASM backend
// needs for its multi-threaded build. A static host must send the same two headers (README).
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
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
