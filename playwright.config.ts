import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// End-to-end checks run the built app (vite build + vite preview) in a real Chromium with a
// software WebGPU adapter (SwiftShader). We never download Playwright's own browsers: the
// Chromium comes from CHROMIUM_PATH or the Debian package at /usr/bin/chromium.
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  throw new Error(
    `Chromium not found at ${chromiumPath}. Install it (apt-get install -y chromium) ` +
      'or point CHROMIUM_PATH at a Chromium binary.',
  );
}

const port = Number(process.env.E2E_PORT || 4173);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // Software WebGPU is slow; the machine may have two cores. Be generous, run one at a time.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // One line per test and a final summary; failure artifacts land in test-results/.
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    video: 'off',
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    launchOptions: {
      executablePath: chromiumPath,
      // Playwright itself already passes --headless (the new headless mode in current
      // Chromium), --no-sandbox, --enable-unsafe-swiftshader, --disable-background-networking,
      // --disable-component-update, --disable-sync and --no-first-run. On top of that,
      // --enable-unsafe-webgpu is what gives a SwiftShader WebGPU adapter here (without it
      // requestAdapter() returns null); --use-angle=swiftshader keeps the WebGL fallback on
      // software rendering too.
      args: ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    },
  },
  webServer: {
    // The built app, as users get it; localhost is a secure context, so WebGPU is exposed.
    command: `npx vite build && npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
