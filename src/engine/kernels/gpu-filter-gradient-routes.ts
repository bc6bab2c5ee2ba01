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
 * The route 'auto' takes on each backend: the fastest route that keeps runs reproducible, from
 * `npm run bench -- --filter-gradient` at batch 32 (README, “Speed”), measured without a GPU.
 * WebGL in Chromium (SwiftShader): batched 48 s against matmul 51 s and tfjs's 63 s. WebGPU in
 * Node (SwiftShader): matmul 207 s was fastest, but tfjs runs that one long product as a split-K
 * program whose workgroups add their partial sums atomically, in whatever order they finish, so
 * the same seed gave gradients that differ in the last bits from run to run; of the
 * deterministic routes tfjs's own kernel (296 s) beat batched (308 s). Opt into matmul with the
 * flag where speed matters more than bit-for-bit repeats. A real GPU may rank them differently:
 * rerun the bench there.
 */
export const GPU_FILTER_GRADIENT_DEFAULT: Record<GpuFilterGradientBackend, GpuFilterGradientRoute> = {
  webgpu: 'tfjs',
  webgl: 'batched',
};

export function isGpuFilterGradientBackend(name: string): name is GpuFilterGradientBackend {
  return (GPU_FILTER_GRADIENT_BACKENDS as readonly string[]).includes(name);
}
