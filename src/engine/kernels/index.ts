import { installFastCpuConvFilterGradient } from './cpu-conv2d-backprop-filter';
import { installGpuConvFilterGradient } from './gpu-conv2d-backprop-filter';
import { isGpuFilterGradientBackend } from './gpu-filter-gradient-routes';
import { installWasmConvFilterGradient } from './wasm-conv2d-backprop-filter';
import { installFastWasmConvInputGradient } from './wasm-conv2d-backprop-input';

/**
 * Registers the kernels training needs on `backendName` beyond what tfjs ships: a fast filter
 * gradient on the CPU backend; on WASM the missing filter gradient and a faster input gradient;
 * on WebGPU and WebGL a filter gradient that splits its reduction over many workgroups (the
 * flag ESAM_GPU_FILTER_GRADIENT chooses it or tfjs's own). Call it where the backend is chosen,
 * once it is started; other backends need nothing.
 */
export function installTrainingKernels(backendName: string): void {
  if (backendName === 'cpu') installFastCpuConvFilterGradient();
  else if (backendName === 'wasm') {
    installWasmConvFilterGradient();
    installFastWasmConvInputGradient();
  } else if (isGpuFilterGradientBackend(backendName)) installGpuConvFilterGradient(backendName);
}
