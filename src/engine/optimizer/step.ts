import type * as tf from '@tensorflow/tfjs';
import type { Model } from '../models';
import type { SgdHyper, StepRule } from './config';
import { deviceSync } from './device-sync';
import type { PhaseTimes } from './phases';
import { stepMethodFor } from './rules';
import { SgdMomentum } from './sgd-momentum';
import { isHostRead, type StepContext, type StepMethod, type StepOptions, type StepOutput } from './step-types';

export { disposeStepOutput, type StepOptions, type StepOutput } from './step-types';

/**
 * SGD, SAM, ESAM and the family's steps as their references compute them (see
 * docs/golden-format.md): the rule's step method wrapped around a base optimizer, PyTorch-style
 * SGD with momentum. Each optimizer has its own method instance, so state a method carries
 * between steps belongs to this optimizer and is freed by its dispose.
 */
export class SharpnessAwareOptimizer {
  private readonly context: StepContext;
  private readonly method: StepMethod;

  constructor(model: Model, rule: StepRule, hyper: SgdHyper) {
    // The method first: a rule it refuses leaves no base optimizer's buffers behind.
    this.method = stepMethodFor(rule);
    const params = model.params.map((p) => p.variable);
    this.context = { model, params, base: new SgdMomentum(params, hyper) };
  }

  /** The phases each step goes through, in order. */
  get phases(): StepMethod['phases'] {
    return this.method.phases;
  }

  /** One step, synchronously (a HostRead is read with dataSync: fine on CPU, WASM and WebGL). */
  step(x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): StepOutput {
    const steps = this.method.run(this.context, x, y, options);
    let next = steps.next();
    while (!next.done) next = isHostRead(next.value) ? steps.next(next.value.read.dataSync()[0]) : steps.next();
    return next.value;
  }

  /** The same step with any HostRead awaited: the one to use where the backend may be WebGPU. */
  async stepAsync(x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Promise<StepOutput> {
    const steps = this.method.run(this.context, x, y, options);
    let next = steps.next();
    while (!next.done) next = isHostRead(next.value) ? steps.next((await next.value.read.data())[0]) : steps.next();
    return next.value;
  }

  /**
   * The same step, with the device synchronised before it and after each phase, and the time of
   * each phase on `now` (milliseconds). The sync makes this step slower than an untimed one, but
   * not different: the weights and outputs are the same. A HostRead is awaited and its time
   * counted in the phase it falls in.
   */
  async timedStep(
    x: tf.Tensor,
    y: tf.Tensor1D,
    options: StepOptions,
    now: () => number,
  ): Promise<{ output: StepOutput; times: PhaseTimes }> {
    // Any device tensor will do: the sync waits for everything queued before it.
    const witness = this.context.params[0];
    const times: PhaseTimes = {};
    await deviceSync(witness);
    let start = now();
    const steps = this.method.run(this.context, x, y, options);
    let next = steps.next();
    while (!next.done) {
      const value = next.value;
      if (isHostRead(value)) {
        next = steps.next((await value.read.data())[0]);
        continue;
      }
      await deviceSync(witness);
      const end = now();
      times[value] = (times[value] ?? 0) + (end - start);
      start = end;
      next = steps.next();
    }
    return { output: next.value, times };
  }

  dispose(): void {
    this.method.dispose?.();
    this.context.base.dispose();
  }
}
