/** A grid of training images with their class names, drawn from the dataset's bytes (NHWC, 1 or 3 channels). */
import { memo } from 'react';
import type { DatasetSummary } from '../worker/protocol';
import { DATASET_LABELS } from '../store/settings';
import { useAppState } from './context';
import { ImageCanvas } from './ImageCanvas';

const SHOWN = 15;

function SampleImage({ summary, index }: { summary: DatasetSummary; index: number }) {
  const { height, width, channels, samples } = summary;
  const label = summary.classNames[samples.labels[index]] ?? `class ${samples.labels[index]}`;
  return (
    <figure className="sample">
      <ImageCanvas source={{ images: samples.images, height, width, channels }} index={index} label={label} />
      <figcaption title={label}>{label}</figcaption>
    </figure>
  );
}

export const SampleGrid = memo(function SampleGrid() {
  const sample = useAppState((s) => s.datasets.sample);
  const dataset = useAppState((s) => s.settings.dataset);
  const summary = sample.summary && sample.summary.name === dataset ? sample.summary : null;
  return (
    <div className="samples" aria-label="Sample training images">
      <p className="label-text">
        Sample training images
        {summary && (
          <span className="muted">
            {' '}
            — {DATASET_LABELS[summary.name]}, {summary.classNames.length} classes, {summary.width}×{summary.height}
            {summary.channels === 1 ? ' grey' : ''}
          </span>
        )}
      </p>
      {summary ? (
        <div className="sample-grid">
          {Array.from({ length: Math.min(SHOWN, summary.samples.labels.length) }, (_, i) => (
            <SampleImage key={`${summary.source}-${i}`} summary={summary} index={i} />
          ))}
        </div>
      ) : (
        <p className="hint">
          {sample.status === 'loading'
            ? 'Drawing samples…'
            : sample.status === 'error'
              ? sample.message
              : `Samples appear once ${DATASET_LABELS[dataset]} is loaded.`}
        </p>
      )}
    </div>
  );
});
