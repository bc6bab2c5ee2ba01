import { defineConfig } from 'vitest/config';

// The PyTorch twin against the engine (`npm run test:twin`): needs /usr/bin/python3 with torch
// (Debian's python3-torch), so the default run (vitest.config.ts) leaves tests/twin out.
export default defineConfig({
  test: {
    include: ['tests/twin/**/*.test.ts'],
    environment: 'node',
    testTimeout: 1_200_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // One file at a time: each trains, and the files would only slow one another down.
    fileParallelism: false,
  },
});
