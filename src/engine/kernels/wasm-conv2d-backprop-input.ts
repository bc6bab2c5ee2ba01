import * as tf from '@tensorflow/tfjs';
import { run } from './wasm-conv2d-backprop-filter';

/**
 * A faster Conv2DBackpropInput for tfjs's WASM backend at stride 1: the input gradient is the
 * forward convolution of dy with the filter flipped in space and its channel axes swapped,
 * dx = conv(dy, W[fh−1−kh, fw−1−kw, co, ci]), which runs on the backend's XNNPACK Conv2D (4–8×
 * the backend's own loop on the cnn's shapes). Other strides keep tfjs's kernel.
 */
export function installFastWasmConvInputGradient(): void {
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!original || (original.kernelFunc as { fast?: boolean }).fast) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    if (info.dataFormat !== 'channelsLast' || info.strideHeight !== 1 || info.strideWidth !== 1) return original.kernelFunc(args);
    const backend = args.backend as tf.KernelBackend;
    const { filterHeight: fh, filterWidth: fw, inHeight, inWidth, outHeight, outWidth, padInfo } = info;
    // Padding of the transposed convolution, so that its output is the input's size.
    const top = fh - 1 - padInfo.top;
    const left = fw - 1 - padInfo.left;
    const bottom = inHeight - outHeight + fh - 1 - top;
    const right = inWidth - outWidth + fw - 1 - left;
    const temps: tf.TensorInfo[] = [];
    try {
      const flipped = run('Reverse', { inputs: { x: filter }, backend, attrs: { dims: [0, 1] } });
      temps.push(flipped);
      const swapped = run('Transpose', { inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } });
      temps.push(swapped);
      return run('Conv2D', {
        inputs: { x: dy, filter: swapped },
        backend,
        attrs: {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined as unknown as string,
        },
      });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  (kernelFunc as { fast?: boolean }).fast = true;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc });
}
