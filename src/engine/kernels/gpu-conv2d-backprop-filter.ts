import * as tf from '@tensorflow/tfjs';
import {
  GPU_FILTER_GRADIENT_DEFAULT,
  GPU_FILTER_GRADIENT_FLAG,
  GPU_FILTER_GRADIENT_ROUTES,
  type GpuFilterGradientBackend,
  type GpuFilterGradientRoute,
} from './gpu-filter-gradient-routes';

/**
 * Conv2DBackpropFilter for tfjs's WebGPU and WebGL backends that splits the reduction.
 *
 * tfjs's own kernel on both runs one thread per filter weight, each summing over batch × height ×
 * width: 432 threads for a 3×3×3×16 filter, however large the batch, so a real GPU sits almost
 * idle. Both routes here gather the image patches P (one row per output pixel, the fh·fw taps of
 * each pixel side by side) and compute dW = Pᵀ · dy with the backend's own BatchMatMul, whose
 * reduction the backend spreads over many workgroups:
 *  - matmul: one [fh·fw·ci × N·Ho·Wo] · [N·Ho·Wo × co] product. WebGPU's BatchMatMul runs a
 *    product with a small output and a long reduction as a split-K program (workgroups each
 *    summing one chunk of the reduction, added atomically); WebGL's has no split-K.
 *  - batched: one product per image ([N] × [fh·fw·ci × Ho·Wo] · [Ho·Wo × co]), then a sum over
 *    the N partial gradients: N times the workgroups on any backend.
 *  - tfjs: the backend's own kernel, unchanged.
 * The flag ESAM_GPU_FILTER_GRADIENT picks the route ('auto': the per-backend default below,
 * which `npm run bench -- --filter-gradient` measures).
 */

function isRoute(value: unknown): value is GpuFilterGradientRoute {
  return (GPU_FILTER_GRADIENT_ROUTES as readonly unknown[]).includes(value);
}

function checkFlagValue(value: unknown): GpuFilterGradientRoute | 'auto' {
  if (value === 'auto' || isRoute(value)) return value;
  throw new Error(`${GPU_FILTER_GRADIENT_FLAG}=${String(value)}: expected auto or one of ${GPU_FILTER_GRADIENT_ROUTES.join(', ')}`);
}

// Registering again (a second copy of this module) only replaces the same definition.
tf.env().registerFlag(GPU_FILTER_GRADIENT_FLAG, () => 'auto', checkFlagValue);

/** The route the flag selects on `backend` now. */
export function gpuFilterGradientRoute(backend: GpuFilterGradientBackend): GpuFilterGradientRoute {
  const value = checkFlagValue(tf.env().get(GPU_FILTER_GRADIENT_FLAG));
  return value === 'auto' ? GPU_FILTER_GRADIENT_DEFAULT[backend] : value;
}

/** Every kernel the split routes run, so a test can check that both backends register them. */
export const GPU_FILTER_GRADIENT_KERNELS = ['PadV2', 'StridedSlice', 'Concat', 'Reshape', 'BatchMatMul', 'Sum'] as const;

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}

/** Runs another kernel of the same backend directly (not through the engine: nothing is taped or tracked). */
function runKernel(backendName: string, name: string, args: KernelArgs): tf.TensorInfo {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`the ${backendName} backend has no ${name} kernel`);
  return kernel.kernelFunc(args) as tf.TensorInfo;
}

/**
 * dW = Pᵀ · dy. P is gathered as [chunks, rows, fh·fw·ci]: the padded image (NHWC) sliced once
 * per tap with the stride ([N, Ho, Wo, ci] each) and concatenated along channels, so column
 * (kh·fw + kw)·ci + c is the filter's [fh, fw, ci, co] order. `perImage` makes each image a
 * chunk (then sums the chunks); otherwise there is one chunk of all N·Ho·Wo rows.
 */
function splitFilterGradient(
  backendName: string,
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  perImage: boolean,
): tf.TensorInfo {
  const { batchSize: n, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}) =>
    runKernel(backendName, name, { inputs, backend, attrs });
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    const padded =
      padInfo.top || padInfo.bottom || padInfo.left || padInfo.right
        ? keep(
            run(
              'PadV2',
              { x },
              {
                paddings: [
                  [0, 0],
                  [padInfo.top, padInfo.bottom],
                  [padInfo.left, padInfo.right],
                  [0, 0],
                ],
                constantValue: 0,
              },
            ),
          )
        : x;
    const taps: tf.TensorInfo[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        taps.push(
          keep(
            run(
              'StridedSlice',
              { x: padded },
              {
                begin: [0, kh, kw, 0],
                end: [n, kh + (oh - 1) * sh + 1, kw + (ow - 1) * sw + 1, ci],
                strides: [1, sh, sw, 1],
                beginMask: 0,
                endMask: 0,
                ellipsisMask: 0,
                newAxisMask: 0,
                shrinkAxisMask: 0,
              },
            ),
          ),
        );
      }
    }
    const patches = taps.length === 1 ? taps[0] : keep(run('Concat', taps as unknown as tf.NamedTensorInfoMap, { axis: 3 }));
    const chunks = perImage ? n : 1;
    const rows = (n * oh * ow) / chunks;
    const a = keep(run('Reshape', { x: patches }, { shape: [chunks, rows, fh * fw * ci] }));
    const g = keep(run('Reshape', { x: dy }, { shape: [chunks, rows, co] }));
    const partial = keep(run('BatchMatMul', { a, b: g }, { transposeA: true, transposeB: false }));
    const dw = chunks === 1 ? partial : keep(run('Sum', { x: partial }, { axis: [0], keepDims: false }));
    return run('Reshape', { x: dw }, { shape: info.filterShape });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function convInfo(x: tf.TensorInfo, attrs: tf.Conv2DBackpropFilterAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}

/**
 * The kernel function for `backendName`: `route` fixed, or (undefined) read from the flag at
 * every call. `original` is tfjs's own kernel, for route 'tfjs' and for what the split routes do
 * not cover (NCHW, non-float32).
 */
export function gpuFilterGradientKernel(
  backendName: GpuFilterGradientBackend,
  original: tf.KernelFunc,
  route?: GpuFilterGradientRoute,
): tf.KernelFunc {
  return (args) => {
    const chosen = route ?? gpuFilterGradientRoute(backendName);
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = convInfo(x, attrs);
    if (chosen === 'tfjs' || info.dataFormat !== 'channelsLast' || x.dtype !== 'float32' || dy.dtype !== 'float32') return original(args);
    return splitFilterGradient(backendName, args.backend as tf.KernelBackend, x, dy, info, chosen === 'batched');
  };
}

const ORIGINAL = Symbol('tfjs Conv2DBackpropFilter');
type Installed = tf.KernelFunc & { [ORIGINAL]?: tf.KernelFunc };

/** tfjs's own Conv2DBackpropFilter on `backendName` (also once this module's is installed). */
export function tfjsFilterGradientKernel(backendName: GpuFilterGradientBackend): tf.KernelFunc {
  const current = tf.getKernel('Conv2DBackpropFilter', backendName)?.kernelFunc as Installed | undefined;
  if (!current) throw new Error(`the ${backendName} backend has no Conv2DBackpropFilter kernel`);
  return current[ORIGINAL] ?? current;
}

/** Registers the flag-driven Conv2DBackpropFilter on `backendName` in place of tfjs's (once). */
export function installGpuConvFilterGradient(backendName: GpuFilterGradientBackend): void {
  const current = tf.getKernel('Conv2DBackpropFilter', backendName)?.kernelFunc as Installed | undefined;
  if (!current || current[ORIGINAL]) return;
  const kernelFunc: Installed = gpuFilterGradientKernel(backendName, current);
  kernelFunc[ORIGINAL] = current;
  tf.unregisterKernel('Conv2DBackpropFilter', backendName);
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc });
}
