/**
 * The filter-gradient bench's result types and its markdown table: no tfjs values, so the bench
 * page's main thread can show a result that its worker measured (src/bench/filter-gradient.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import {
  GPU_FILTER_GRADIENT_ROUTES,
  type GpuFilterGradientBackend,
  type GpuFilterGradientRoute,
} from '../engine/kernels/gpu-filter-gradient-routes';
import type { ModelName } from '../engine/model-names';

export interface FilterGradientShape {
  x: [number, number, number, number];
  dy: [number, number, number, number];
  attrs: tf.Conv2DBackpropFilterAttrs;
  /** The models that make this call, and how often in one SGD step. */
  models: Partial<Record<ModelName, number>>;
}

export interface FilterGradientTiming {
  shape: FilterGradientShape;
  /** Median milliseconds of one call (dispatch to result read back) per route. */
  ms: Record<GpuFilterGradientRoute, number>;
  /** Relative error of each route against route 'tfjs'. */
  error: Record<GpuFilterGradientRoute, number>;
}

export interface FilterGradientBench {
  backend: GpuFilterGradientBackend;
  batchSize: number;
  reps: number;
  timings: FilterGradientTiming[];
  /** Per route: the sum over the shapes, each weighted by its calls in one step of every model. */
  totalMs: Record<GpuFilterGradientRoute, number>;
  fastest: GpuFilterGradientRoute;
}

/** The result as a markdown table, the fastest route named under it. */
export function filterGradientMarkdown(bench: FilterGradientBench, where: string): string {
  const routes = GPU_FILTER_GRADIENT_ROUTES;
  const lines = [
    `Conv2DBackpropFilter on ${where}, batch ${bench.batchSize}, median of ${bench.reps} calls (ms, dispatch to result read back):`,
    '',
    `| x | filter | stride | calls per step | ${routes.map((r) => `${r} ms`).join(' | ')} | ${routes
      .filter((r) => r !== 'tfjs')
      .map((r) => `${r} error`)
      .join(' | ')} |`,
    `|---|---|---:|---|${routes.map(() => '---:').join('|')}|${routes
      .filter((r) => r !== 'tfjs')
      .map(() => '---:')
      .join('|')}|`,
  ];
  for (const t of bench.timings) {
    const models = Object.entries(t.shape.models)
      .map(([m, n]) => `${m} ×${n}`)
      .join(', ');
    lines.push(
      `| ${t.shape.x.join('×')} | ${t.shape.attrs.filterShape.join('×')} | ${String(t.shape.attrs.strides)} | ${models} | ${routes.map((r) => t.ms[r].toFixed(2)).join(' | ')} | ${routes
        .filter((r) => r !== 'tfjs')
        .map((r) => t.error[r].toExponential(1))
        .join(' | ')} |`,
    );
  }
  lines.push(
    `| one step of every model | | | | ${routes.map((r) => bench.totalMs[r].toFixed(1)).join(' | ')} | ${routes
      .filter((r) => r !== 'tfjs')
      .map(() => '')
      .join(' | ')} |`,
  );
  lines.push(
    '',
    `Fastest on ${bench.backend}: ${bench.fastest} (${routes.map((r) => `${r} ${bench.totalMs[r].toFixed(1)} ms`).join(', ')}).`,
  );
  return `${lines.join('\n')}\n`;
}
