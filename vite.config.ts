import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // The worker's imports are found late by the dev server's scan; listing them up front avoids a
  // reload (which would cut a first run short) when the worker starts.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', 'idb'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // bench.html measures throughput on the visitor's own GPU (and is what npm run bench drives).
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
});
