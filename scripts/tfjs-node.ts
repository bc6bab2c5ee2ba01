/**
 * The tfjs backend of the Node scripts: WASM (SIMD, from node_modules), the plain-JavaScript CPU
 * backend, or WebGPU through Dawn; each with the kernels training needs installed.
 */
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { NODE_AUTO_ORDER, type NodeBackendName } from '../src/engine/backend-names';
import { installTrainingKernels } from '../src/engine/kernels';
import { describeNodeAdapter, installNodeWebgpu, SWIFTSHADER_PREFIX } from './node-webgpu';

export type NodeBackendChoice = 'auto' | NodeBackendName;

/** What ran: the run JSON's environment.backend and environment.adapter. */
export interface NodeBackend {
  backend: NodeBackendName;
  adapter: string | null;
}

/** A backend that was asked for by name and cannot start; the message is one line. */
export class BackendUnavailableError extends Error {}

/** The folder holding the .wasm binaries of the installed @tensorflow/tfjs-backend-wasm. */
function wasmFolder(): string {
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return `${dirname(main)}/`;
}

async function startWasm(): Promise<NodeBackend | null> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  if (!tf.findBackendFactory('wasm')) return null;
  setWasmPaths(wasmFolder());
  if (!(await tf.setBackend('wasm').catch(() => false))) return null;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { backend: 'wasm', adapter: simd ? 'SIMD' : 'no SIMD' };
}

async function startCpu(): Promise<NodeBackend | null> {
  return (await tf.setBackend('cpu')) ? { backend: 'cpu', adapter: null } : null;
}

async function startWebgpu(): Promise<NodeBackend | null> {
  const found = await describeNodeAdapter().catch(() => null);
  if (!found) return null;
  await installNodeWebgpu();
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu').catch(() => false))) return null;
  return { backend: 'webgpu', adapter: `${found.adapter}${found.software ? ' (software adapter)' : ''}` };
}

async function start(name: NodeBackendName): Promise<NodeBackend | null> {
  switch (name) {
    case 'wasm':
      return startWasm();
    case 'cpu':
      return startCpu();
    case 'webgpu':
      return startWebgpu();
  }
}

function unavailable(name: NodeBackendName): string {
  if (name === 'webgpu') {
    return `--backend webgpu: Dawn found no WebGPU adapter (no GPU driver; without a GPU, start with ${SWIFTSHADER_PREFIX} to use SwiftShader)`;
  }
  return `--backend ${name}: the tfjs ${name === 'wasm' ? 'WASM' : 'CPU'} backend could not start`;
}

/**
 * Starts the backend `choice` names, or for 'auto' the first of NODE_AUTO_ORDER that starts. Throws BackendUnavailableError when a named backend
 * cannot start; never falls back from a named one.
 */
export async function useNodeBackend(choice: NodeBackendChoice = 'auto'): Promise<NodeBackend> {
  tf.env().set('PROD', true); // only silences tfjs's "you are running in Node.js" banner
  const order: readonly NodeBackendName[] = choice === 'auto' ? NODE_AUTO_ORDER : [choice];
  for (const name of order) {
    const started = await start(name);
    if (started) {
      await tf.ready();
      installTrainingKernels(started.backend);
      return started;
    }
  }
  throw new BackendUnavailableError(
    choice === 'auto' ? `no tfjs backend could start (tried ${NODE_AUTO_ORDER.join(', ')})` : unavailable(choice),
  );
}

/** The plain-JavaScript CPU backend (the golden-vector script's reference). */
export async function useCpuBackend(): Promise<void> {
  await useNodeBackend('cpu');
}
