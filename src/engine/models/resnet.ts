import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { applyBatchNorm, applyConv, applyDense, type BatchNorm, type Conv, disposeAll, globalAveragePool, ModelBuilder } from './builder';
import type { ForwardMode, Model } from './model';

interface Block {
  conv1: Conv;
  bn1: BatchNorm;
  conv2: Conv;
  bn2: BatchNorm;
  shortcut: { conv: Conv; bn: BatchNorm } | null;
}

/**
 * CIFAR-style ResNet (He et al. 2016): a 3×3 stem, three stages of `blocksPerStage` basic blocks
 * at widths 16w, 32w, 64w (stride 2 at the start of stages 2 and 3, 1×1 projection shortcuts
 * there), BatchNorm after every conv, global average pool, dense. Depth = 6·blocksPerStage + 2.
 */
export function createResNet(inputShape: number[], classes: number, blocksPerStage: number, widthMultiplier: number, rng: Rng): Model {
  const b = new ModelBuilder(rng);
  const widths = [16, 32, 64].map((w) => w * widthMultiplier);
  const stem = b.conv('conv0', 3, inputShape[2], widths[0], { bias: false });
  const stemBn = b.batchNorm('bn0', widths[0]);
  const blocks: Block[] = [];
  let inputs = widths[0];
  widths.forEach((w, stage) => {
    for (let i = 0; i < blocksPerStage; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      const p = `stage${stage + 1}/block${i}`;
      blocks.push({
        conv1: b.conv(`${p}/conv1`, 3, inputs, w, { stride, bias: false }),
        bn1: b.batchNorm(`${p}/bn1`, w),
        conv2: b.conv(`${p}/conv2`, 3, w, w, { bias: false }),
        bn2: b.batchNorm(`${p}/bn2`, w),
        shortcut:
          stride !== 1 || inputs !== w
            ? { conv: b.conv(`${p}/shortcut`, 1, inputs, w, { stride, bias: false }), bn: b.batchNorm(`${p}/shortcutBn`, w) }
            : null,
      });
      inputs = w;
    }
  });
  const dense0 = b.dense('dense0', inputs, classes);

  const applyBlock = (x: tf.Tensor4D, block: Block, mode: ForwardMode): tf.Tensor4D => {
    let h = tf.relu(applyBatchNorm(applyConv(x, block.conv1), block.bn1, mode));
    h = applyBatchNorm(applyConv(h, block.conv2), block.bn2, mode);
    const skip = block.shortcut ? applyBatchNorm(applyConv(x, block.shortcut.conv), block.shortcut.bn, mode) : x;
    return tf.relu(tf.add(h, skip)) as tf.Tensor4D;
  };

  return {
    name: `resnet${6 * blocksPerStage + 2}`,
    inputShape,
    numClasses: classes,
    params: b.params,
    state: b.state,
    apply(x, mode) {
      let h = tf.relu(applyBatchNorm(applyConv(x as tf.Tensor4D, stem), stemBn, mode));
      for (const block of blocks) h = applyBlock(h, block, mode);
      return applyDense(globalAveragePool(h), dense0);
    },
    dispose: () => disposeAll([...b.params, ...b.state]),
  };
}
