/**
 * Chooses the tfjs backend for Node tests: `TFJS_BACKEND=cpu` (the default), `TFJS_BACKEND=wasm`
 * (`npm run test:wasm`) or `TFJS_BACKEND=webgpu`.
 *
 * For webgpu, the npm package `webgpu` (Dawn for Node) provides `navigator.gpu`, and Chromium's
 * SwiftShader Vulkan driver provides the adapter, so the same WebGPU kernels the browser runs
 * also run here without a GPU. The driver is found through two variables that must be set
 * before the process starts (the `test:webgpu` npm script sets them):
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
 *
 * Usage in an engine test:
 *
 *   beforeAll(async () => { await useBackend(); });
 *
 * Under webgpu every GPU error (validation, out-of-memory, internal, device lost) is recorded.
 * The webgpu test run fails any test that leaves one behind (see webgpu-setup.ts);
 * `expectNoWebgpuValidationErrors()` checks on the spot and `takeWebgpuErrors()` claims them.
 */
import * as tf from '@tensorflow/tfjs';
import { installNodeWebgpu as installDawn, onNodeWebgpuDevice, SWIFTSHADER_ENV } from '../../scripts/node-webgpu';
import { useNodeBackend } from '../../scripts/tfjs-node';
import { installTrainingKernels } from '../../src/engine/kernels';

export const TEST_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

/** The backend asked for by TFJS_BACKEND ('cpu' when unset). */
export function requestedBackend(): TestBackend {
  const raw = (process.env.TFJS_BACKEND ?? '').trim().toLowerCase();
  if (raw === '') return 'cpu';
  if ((TEST_BACKENDS as readonly string[]).includes(raw)) return raw as TestBackend;
  throw new Error(`TFJS_BACKEND=${process.env.TFJS_BACKEND} is not supported in tests; use ${TEST_BACKENDS.join(', ')}.`);
}

/** One GPU error as Dawn reported it. */
export interface WebgpuError {
  kind: string; // GPUValidationError, GPUOutOfMemoryError, GPUInternalError, device-lost
  message: string;
}

const recorded: WebgpuError[] = [];
const devices = new Set<GPUDevice>();

function watchDevice(device: GPUDevice): void {
  if (devices.has(device)) return;
  devices.add(device);
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    // Handled here: keeps Dawn from also printing it to stdout. An unexpected error is
    // reported in full by expectNoWebgpuValidationErrors(), which fails the test.
    event.preventDefault();
    recorded.push({ kind: error.constructor?.name || 'GPUError', message: error.message });
  });
  void device.lost.then((info) => {
    devices.delete(device);
    // 'destroyed' is a deliberate device.destroy(), not a failure.
    if (info.reason !== 'destroyed') {
      recorded.push({ kind: 'device-lost', message: `${info.reason}: ${info.message}` });
    }
  });
}

let watching = false;

/**
 * Installs Dawn's `navigator.gpu` (scripts/node-webgpu.ts) and watches every device anybody
 * creates, so that errors are seen from the first command on.
 */
export function installNodeWebgpu(): Promise<void> {
  if (!watching) onNodeWebgpuDevice(watchDevice);
  watching = true;
  return installDawn();
}

function missingDriverHint(): string {
  const lines = [
    'tf.setBackend("webgpu") failed: Dawn found no WebGPU adapter.',
    "Node tests get one from Chromium's SwiftShader Vulkan driver (apt-get install -y chromium), and the",
    'process must start with these variables set (the test:webgpu npm script sets them):',
  ];
  for (const [key, value] of Object.entries(SWIFTSHADER_ENV)) {
    const now = process.env[key];
    lines.push(`  ${key}=${value}   (now: ${now === undefined ? 'unset' : now})`);
  }
  return lines.join('\n');
}

/**
 * Sets the tfjs backend named by TFJS_BACKEND and returns its name. Throws a clear error when
 * the backend cannot start; never falls back silently.
 */
export async function useBackend(): Promise<string> {
  const wanted = requestedBackend();
  if (wanted === 'wasm') return (await useNodeBackend('wasm')).backend;
  tf.env().set('PROD', true); // only silences tfjs's "you are running in Node.js" banner
  if (wanted === 'webgpu') {
    await installNodeWebgpu();
    await import('@tensorflow/tfjs-backend-webgpu');
    // Tests use tiny tensors; by default tfjs runs ops whose inputs are small and still on the
    // CPU with its CPU kernels. Turn that off so the tests exercise the WebGPU shaders.
    // TFJS_WEBGPU_CPU_FORWARD=1 restores tfjs's default.
    tf.env().set('WEBGPU_CPU_FORWARD', process.env.TFJS_WEBGPU_CPU_FORWARD === '1');
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(wanted);
  } catch (err) {
    throw new Error(`tf.setBackend("${wanted}") threw: ${String(err)}`);
  }
  if (!ok || tf.getBackend() !== wanted) {
    throw new Error(wanted === 'webgpu' ? missingDriverHint() : `tf.setBackend("${wanted}") failed (backend now: ${tf.getBackend()}).`);
  }
  await tf.ready();
  installTrainingKernels(wanted);
  return tf.getBackend();
}

/** Waits for all submitted GPU work so that its errors have been delivered. */
async function flushDevices(): Promise<void> {
  await Promise.all([...devices].map((d) => d.queue.onSubmittedWorkDone().catch(() => undefined)));
  await new Promise((resolve) => setImmediate(resolve));
}

/** Returns and forgets the GPU errors recorded so far (after letting pending work finish). */
export async function takeWebgpuErrors(): Promise<WebgpuError[]> {
  await flushDevices();
  return recorded.splice(0, recorded.length);
}

/**
 * Throws when the WebGPU device reported any error since the last check (and forgets them).
 * Under the cpu backend nothing is ever recorded, so this always passes.
 */
export async function expectNoWebgpuValidationErrors(): Promise<void> {
  const errors = await takeWebgpuErrors();
  if (errors.length === 0) return;
  const shown = errors
    .slice(0, 5)
    .map((e, i) => `${i + 1}. ${e.kind}: ${e.message.trim()}`)
    .join('\n');
  const more = errors.length > 5 ? `\n... and ${errors.length - 5} more` : '';
  throw new Error(`WebGPU reported ${errors.length} error(s); results computed since are not trustworthy:\n${shown}${more}`);
}
