/**
 * The names of the split filter-gradient routes (gpu-conv2d-backprop-filter.ts), the flag that
 * picks one and each backend's default, without tfjs, so reports and pages can name them.
 */

export const GPU_FILTER_GRADIENT_BACKENDS = ['webgpu', 'webgl'] as const;
export type GpuFilterGradientBackend = (typeof GPU_FILTER_GRADIENT_BACKENDS)[number];

export const GPU_FILTER_GRADIENT_ROUTES = ['tfjs', 'matmul', 'batched'] as const;
export type GpuFilterGradientRoute = (typeof GPU_FILTER_GRADIENT_ROUTES)[number];

/** The tfjs flag choosing the route: 'auto' or one of GPU_FILTER_GRADIENT_ROUTES. */
export const GPU_FILTER_GRADIENT_FLAG = 'ESAM_GPU_FILTER_GRADIENT';

/**
 * The route 'auto' takes on each backend: the faster over one step of every conv model in
 * `npm run bench -- --filter-gradient` at batch 32 (README, “Speed”), measured without a GPU:
 * WebGPU in Node on SwiftShader (Dawn's software Vulkan, on the CPU): matmul 207 s against tfjs's
 * 296 s and batched 308 s; WebGL in Chromium, also SwiftShader: batched 48 s against matmul 51 s
 * and tfjs's 63 s. A real GPU may rank them differently: rerun the bench there.
 */
export const GPU_FILTER_GRADIENT_DEFAULT: Record<GpuFilterGradientBackend, GpuFilterGradientRoute> = {
  webgpu: 'matmul',
  webgl: 'batched',
};

export function isGpuFilterGradientBackend(name: string): name is GpuFilterGradientBackend {
  return (GPU_FILTER_GRADIENT_BACKENDS as readonly string[]).includes(name);
}
