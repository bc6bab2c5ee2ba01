/** What the CLI says about a run: its name, the environment line, and the progress lines on stderr. */
import { PHASE_LABELS, phaseCostKey, STEP_PHASES } from '../../src/engine/optimizer/phases';
import type { EpochRecord, RunConfig, RunRecord, RunSummary } from '../../src/engine/run-record';

/**
 * A run's display name: the method with the hyperparameters that tell runs apart, then the
 * dataset and the model. "ESAM β=0.6 γ=0.5 · synthetic · cnn", "SAM ρ=0.05 · cifar10 · resnet8",
 * "SGD · synthetic · linear"; ASAM adds "adaptive" after the method.
 */
export function runName(config: RunConfig): string {
  const o = config.optimizer;
  const method = [o.name.toUpperCase()];
  if (o.name !== 'sgd' && o.adaptive) method.push('adaptive');
  if (o.name === 'sam') method.push(`ρ=${o.rho}`);
  if (o.name === 'esam') method.push(`β=${o.swp ? o.beta : 1}`, `γ=${o.sds ? o.gamma : 1}`);
  return [method.join(' '), config.dataset.name, config.model].join(' · ');
}

/** `node v20.20.2 (linux x64)` */
export function nodeAgent(): string {
  return `node ${process.version} (${process.platform} ${process.arch})`;
}

function pct(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : 'n/a';
}

function loss(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

/** "seconds" as "42.1 s", "3m05s" or "1h02m". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The line printed when training starts (after the data is prepared). */
export function startLine(record: RunRecord, stepsPerEpoch: number): string {
  const c = record.config;
  const e = record.environment;
  return (
    `${record.name}: ${c.dataset.trainSize} train / ${c.dataset.testSize} test images, ` +
    `${c.epochs} epoch${c.epochs === 1 ? '' : 's'} of ${stepsPerEpoch} steps × ${c.batchSize} ` +
    `(tfjs ${e.tfjsVersion}, ${e.backend})`
  );
}

/**
 * One line per epoch: "epoch 2/5  train loss 1.8123 acc 34.2%  test loss 1.7001 acc 38.0%  41.3 img/s  12.4 s",
 * then the cost meter's ms per step by phase when measured: "  ms/step ascent 3.1 ranking 0.9 descent 2.8 update 0.4".
 */
export function epochLine(epoch: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  const phases = STEP_PHASES.flatMap((p) => {
    const ms = epoch[phaseCostKey(p)];
    return ms === undefined ? [] : [`${PHASE_LABELS[p]} ${ms.toFixed(1)}`];
  });
  return (
    `epoch ${String(epoch.epoch).padStart(width)}/${epochs}  ` +
    `train loss ${loss(epoch.trainLoss)} acc ${pct(epoch.trainAcc)}  ` +
    `test loss ${loss(epoch.testLoss)} acc ${pct(epoch.testAcc)}  ` +
    `${epoch.imagesPerSec.toFixed(1)} img/s  ${duration(epoch.seconds)}` +
    (phases.length ? `  ms/step ${phases.join(' ')}` : '')
  );
}

/** The last line: how the run ended. */
export function endLine(record: RunRecord): string {
  const s: RunSummary = record.summary;
  const parts: string[] = [record.status];
  if (s.finalTestAcc !== null) parts.push(`final test acc ${pct(s.finalTestAcc)} (best ${pct(s.bestTestAcc ?? NaN)})`);
  parts.push(`${record.epochs.length}/${record.config.epochs} epochs in ${duration(s.totalSeconds)} of training`);
  const line = parts.join(', ');
  return record.error ? `${line}: ${record.error}` : line;
}

/** The in-place step counter shown on a terminal while an epoch runs. */
export function stepLine(
  epoch: number,
  epochs: number,
  step: number,
  steps: number,
  lastLoss: number | undefined,
  etaSeconds: number | null,
): string {
  const parts = [`epoch ${epoch}/${epochs} step ${step}/${steps}`];
  if (lastLoss !== undefined) parts.push(`loss ${loss(lastLoss)}`);
  if (etaSeconds !== null) parts.push(`${duration(etaSeconds)} left`);
  return parts.join('  ');
}
