import { existsSync } from 'node:fs';

/**
 * The Chromium that e2e tests and the benchmark drive: CHROMIUM_PATH or Debian's package. We
 * never download Playwright's own browsers.
 */
export function chromiumExecutable(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}. Install it (apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium binary.`);
  }
  return path;
}

// Playwright itself already passes --headless (the new headless mode in current Chromium),
// --no-sandbox, --enable-unsafe-swiftshader, --disable-background-networking,
// --disable-component-update, --disable-sync and --no-first-run. On top of that,
// --enable-unsafe-webgpu is what gives a SwiftShader WebGPU adapter here (without it
// requestAdapter() returns null); --use-angle=swiftshader keeps the WebGL fallback on software
// rendering too. On a machine with a GPU, Chromium picks the real adapter instead.
export const CHROMIUM_ARGS = ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
