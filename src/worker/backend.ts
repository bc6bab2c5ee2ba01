/**
 * Choosing the tfjs backend in the worker (WebGPU, then WebGL, then WASM, then CPU), describing
 * it in words, installing the kernels training needs on it, and recovering from a lost WebGPU
 * device.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_LABELS as LABELS, BACKEND_NAMES as ORDER, type BackendName } from '../engine/backend-names';
import { installTrainingKernels } from '../engine/kernels';
import type { BackendChoice, BackendReport } from './protocol';
import { locateWasmFiles } from './wasm-files';

export interface BackendManager {
  /** Starts the chosen backend (falling back in ORDER) and describes it. */
  init(choice: BackendChoice): Promise<BackendReport>;
  /** The reason the device was lost since the last init, or null. */
  lostReason(): string | null;
  /** Restarts the backend after a device loss; a no-op otherwise. */
  recover(): Promise<BackendReport>;
}

export function createBackendManager(agent: string): BackendManager {
  let choice: BackendChoice = 'auto';
  let lost: string | null = null;
  let report: BackendReport | null = null;
  const webgpuFactory = tf.findBackendFactory('webgpu');

  async function start(name: BackendName): Promise<boolean> {
    try {
      return await tf.setBackend(name);
    } catch {
      return false;
    }
  }

  async function init(next: BackendChoice): Promise<BackendReport> {
    choice = next;
    lost = null;
    const candidates = next === 'auto' ? ORDER : ORDER.slice(ORDER.indexOf(next));
    const skipped: string[] = [];
    for (const name of candidates) {
      if (name === 'webgpu' && !('gpu' in navigator)) {
        skipped.push('this browser has no WebGPU (navigator.gpu is missing)');
        continue;
      }
      if (name === 'wasm') locateWasmFiles();
      if (await start(name)) {
        await tf.ready();
        installTrainingKernels(name);
        report = await describe(name, agent, skipped.length ? skipped.join('; ') : null);
        if (name === 'webgpu') watchDevice();
        return report;
      }
      skipped.push(`${LABELS[name]} could not start${name === 'webgpu' ? ' (no WebGPU adapter)' : ''}`);
    }
    throw new Error(`No tfjs backend could start: ${skipped.join('; ')}`);
  }

  function watchDevice(): void {
    const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
    void device?.lost.then((info) => {
      lost = `the GPU device was lost (${info.reason || 'unknown'}${info.message ? `: ${info.message}` : ''})`;
    });
  }

  async function recover(): Promise<BackendReport> {
    if (lost === null && report) return report;
    // A lost device cannot be reused: drop the backend and register its factory again.
    if (webgpuFactory && tf.findBackend('webgpu')) {
      tf.removeBackend('webgpu');
      tf.registerBackend('webgpu', webgpuFactory, 3);
    }
    return init(choice);
  }

  return { init, recover, lostReason: () => lost };
}

async function describe(name: BackendName, agent: string, fallbackReason: string | null): Promise<BackendReport> {
  const base = { backend: name, tfjsVersion: tf.version.tfjs, agent, fallbackReason };
  if (name === 'webgpu') {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    const info = adapter?.info;
    const fallback = Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter);
    const words = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
    const software = fallback || /swiftshader|llvmpipe|software|lavapipe/i.test(words);
    const adapterText = words || 'unknown adapter';
    return {
      ...base,
      adapter: adapterText,
      software,
      description: `WebGPU — ${adapterText}${software ? ' (software adapter)' : ''}`,
    };
  }
  if (name === 'webgl') {
    const renderer = webglRenderer();
    const software = /swiftshader|llvmpipe|software/i.test(renderer ?? '');
    return {
      ...base,
      adapter: renderer,
      software,
      description: `WebGL — ${renderer ?? 'unknown renderer'}${software ? ' (software renderer)' : ''}`,
    };
  }
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    const threads = getThreadsCount();
    const adapter = `${simd ? 'SIMD' : 'no SIMD'}, ${threaded ? 'multi-threaded build' : 'single-threaded build'}, ${threads} thread${threads === 1 ? '' : 's'}`;
    const why = threaded ? '' : '; threads need a cross-origin isolated page';
    return { ...base, adapter, software: true, description: `WASM — ${adapter} (on the CPU${why})` };
  }
  return { ...base, adapter: null, software: true, description: 'CPU (plain JavaScript; slow, for small runs)' };
}

function webglRenderer(): string | null {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl: WebGLRenderingContext } }).gpgpu?.gl;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}
