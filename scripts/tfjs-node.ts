import * as tf from '@tensorflow/tfjs';

/** Node scripts run the engine on tfjs's CPU backend, without its banner on stderr. */
export async function useCpuBackend(): Promise<void> {
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs CPU backend could not start');
}
