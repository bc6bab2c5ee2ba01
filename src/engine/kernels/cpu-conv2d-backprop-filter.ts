import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/**
 * A faster Conv2DBackpropFilter for tfjs's CPU backend (NHWC only).
 *
 * tfjs's own kernel reads every element through TensorBuffer.get() inside a seven-deep loop and
 * takes ~25× the time of the forward convolution; it dominated training in Node. This one walks
 * the arrays directly, innermost over output channels, so the work is one multiply-add per term.
 */
export function installFastCpuConvFilterGradient(): void {
  const original = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (!original || (original.kernelFunc as { fast?: boolean }).fast) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    if (info.dataFormat !== 'channelsLast') return original.kernelFunc(args);
    const backend = args.backend as MathBackendCPU;
    const xs = backend.data.get(x.dataId).values as Float32Array;
    const dys = backend.data.get(dy.dataId).values as Float32Array;
    return backend.makeTensorInfo(info.filterShape, 'float32', filterGradient(info, xs, dys));
  };
  (kernelFunc as { fast?: boolean }).fast = true;
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', kernelFunc });
}

/** dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·sh + kh − top, ow·sw + kw − left, ci] · dy[b, oh, ow, co]. */
function filterGradient(info: tf.backend_util.Conv2DInfo, xs: Float32Array, dys: Float32Array): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dw = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const wBase = (kh * filterWidth + kw) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xv = xs[xBase + ci];
              if (xv === 0) continue;
              const row = wBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) dw[row + co] += xv * dys[dyBase + co];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dw);
}
