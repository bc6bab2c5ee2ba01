/** The backend in words and tf.memory() numbers. */
import { formatBytes } from '../store/compare';
import { useApp, useAppState } from './context';

export function BackendBadge() {
  const backend = useAppState((s) => s.backend);
  const report = backend.report;
  let text: string;
  let tone = 'ok';
  if (backend.state === 'failed' && !report) {
    text = `No backend: ${backend.error ?? 'unknown error'}`;
    tone = 'bad';
  } else if (!report || backend.state === 'starting') {
    text = report ? `${report.description} (restarting…)` : 'Starting the compute backend…';
    tone = 'pending';
  } else {
    text = report.description;
    if (report.software || report.backend === 'cpu') tone = 'warn';
  }
  return (
    <p className={`backend-badge ${tone}`} aria-live="polite" data-testid="backend">
      <span className="dot" aria-hidden="true" />
      <span>{text}</span>
    </p>
  );
}

export function BackendDetails() {
  const app = useApp();
  const report = useAppState((s) => s.backend.report);
  const memory = useAppState((s) => s.memory);
  return (
    <details className="backend-details">
      <summary>Backend and memory details</summary>
      <dl>
        <dt>Backend</dt>
        <dd>{report?.description ?? '—'}</dd>
        {report?.software && (
          <>
            <dt>Note</dt>
            <dd>A software adapter: it works, but far slower than a GPU. Timings here do not reflect a GPU’s.</dd>
          </>
        )}
        {report?.fallbackReason && (
          <>
            <dt>Fallback</dt>
            <dd>{report.fallbackReason}</dd>
          </>
        )}
        <dt>tfjs</dt>
        <dd>{report?.tfjsVersion ?? '—'}</dd>
        <dt>Tensors</dt>
        <dd data-testid="memory-tensors">{memory ? memory.numTensors.toLocaleString('en-US') : '—'}</dd>
        <dt>Tensor memory</dt>
        <dd>{memory ? formatBytes(memory.numBytes) : '—'}</dd>
        <dt>GPU memory</dt>
        <dd>{memory ? (memory.numBytesInGPU === null ? 'not reported by this backend' : formatBytes(memory.numBytesInGPU)) : '—'}</dd>
      </dl>
      <button type="button" onClick={() => app.refreshMemory()}>
        Refresh memory
      </button>
    </details>
  );
}
