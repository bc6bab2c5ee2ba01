import * as tf from '@tensorflow/tfjs';

/**
 * Conv2DBackpropFilter for tfjs's WASM backend, which ships the forward convolution and the
 * input gradient but not the filter gradient (the one kernel these models' training lacks there).
 *
 * Two formulations built only from kernels the WASM backend has, so the heavy loops run in its
 * compiled code:
 *  - im2col: the image patches as a matrix P, gathered already transposed, times dy: dW = Pᵀ · dy
 *    (one XNNPACK matmul);
 *  - conv3d: the backend's own Conv3DBackpropFilterV2 on the image as a depth-1 volume.
 * `npm run bench -- --kernels` times both on the models' shapes; installation uses the faster.
 */

export type WasmFilterGradientRoute = 'im2col' | 'conv3d';

export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}

/** Runs another WASM kernel directly (not through the engine, so nothing is taped or tracked). */
export function run(name: string, args: KernelArgs): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the WASM backend has no ${name} kernel`);
  return kernel.kernelFunc(args) as tf.TensorInfo;
}

function reshape(backend: tf.KernelBackend, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return run('Reshape', { inputs: { x }, backend, attrs: { shape } });
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
 * dW = Pᵀ · dy with P the image patches, one row per output pixel. Pᵀ is gathered directly: the
 * padded image goes channels-first ([ci, b, h, w]) once, then each of the fh·fw taps is one
 * strided slice [ci, b, oh, ow] (long contiguous rows even when ci is 3), stacked tap-major.
 * Its row index is (kh·fw + kw)·ci + c, the filter's [fh, fw, ci, co] order. The backend's
 * BatchMatMul uses XNNPACK only without transposes (a transposed operand falls back to a naive
 * loop), which this layout needs none of.
 */
function im2colFilterGradient(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  backend: tf.KernelBackend,
): tf.TensorInfo {
  const { batchSize: b, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    const padded =
      padInfo.top || padInfo.bottom || padInfo.left || padInfo.right
        ? keep(
            run('PadV2', {
              inputs: { x },
              backend,
              attrs: {
                paddings: [
                  [0, 0],
                  [padInfo.top, padInfo.bottom],
                  [padInfo.left, padInfo.right],
                  [0, 0],
                ],
                constantValue: 0,
              },
            }),
          )
        : x;
    const channelsFirst = keep(run('Transpose', { inputs: { x: padded }, backend, attrs: { perm: [3, 0, 1, 2] } }));
    const taps: tf.TensorInfo[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        taps.push(
          keep(
            run('StridedSlice', {
              inputs: { x: channelsFirst },
              backend,
              attrs: {
                begin: [0, 0, kh, kw],
                end: [ci, b, kh + (oh - 1) * sh + 1, kw + (ow - 1) * sw + 1],
                strides: [1, 1, sh, sw],
                beginMask: 0,
                endMask: 0,
                ellipsisMask: 0,
                newAxisMask: 0,
                shrinkAxisMask: 0,
              },
            }),
          ),
        );
      }
    }
    const patchesT =
      taps.length === 1 ? taps[0] : keep(run('Concat', { inputs: taps as unknown as tf.NamedTensorInfoMap, backend, attrs: { axis: 0 } }));
    const a = keep(reshape(backend, patchesT, [1, fh * fw * ci, b * oh * ow]));
    const g = keep(reshape(backend, dy, [1, b * oh * ow, co]));
    const dw = keep(run('BatchMatMul', { inputs: { a, b: g }, backend, attrs: { transposeA: false, transposeB: false } }));
    return reshape(backend, dw, info.filterShape);
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** The same gradient through the backend's 3-D kernel, the image a volume of depth 1. */
function conv3dFilterGradient(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  pad: 'same' | 'valid',
  backend: tf.KernelBackend,
): tf.TensorInfo {
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    const x5 = keep(reshape(backend, x, [x.shape[0], 1, ...x.shape.slice(1)]));
    const dy5 = keep(reshape(backend, dy, [dy.shape[0], 1, ...dy.shape.slice(1)]));
    const dw5 = keep(
      run('Conv3DBackpropFilterV2', {
        inputs: { x: x5, dy: dy5 },
        backend,
        attrs: { strides: [1, info.strideHeight, info.strideWidth], pad, filterShape: [1, ...info.filterShape] },
      }),
    );
    return reshape(backend, dw5, info.filterShape);
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** The kernel function for one route; NHWC and float32 only, like the models. */
export function wasmFilterGradientKernel(route: WasmFilterGradientRoute): tf.KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = convInfo(x, attrs);
    if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropFilter on WASM: only NHWC (channelsLast) is supported');
    if (info.dilationHeight !== 1 || info.dilationWidth !== 1) throw new Error('Conv2DBackpropFilter on WASM: dilation is not supported');
    const backend = args.backend as tf.KernelBackend;
    // The 3-D kernel takes only 'same' or 'valid'; anything else goes through im2col.
    if (route === 'conv3d' && (attrs.pad === 'same' || attrs.pad === 'valid')) return conv3dFilterGradient(x, dy, info, attrs.pad, backend);
    return im2colFilterGradient(x, dy, info, backend);
  };
}

/** The route `installWasmConvFilterGradient` registers (the faster on the models' shapes, see README). */
export const WASM_FILTER_GRADIENT_ROUTE: WasmFilterGradientRoute = 'im2col';

/** Registers (or replaces) Conv2DBackpropFilter on the WASM backend. */
export function installWasmConvFilterGradient(route: WasmFilterGradientRoute = WASM_FILTER_GRADIENT_ROUTE): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: wasmFilterGradientKernel(route) });
}
