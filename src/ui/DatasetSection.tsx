/** The dataset: choice, loading (drop, pick, URL, archives this app serves), subset and noise, and sample images. */
import { useRef, useState, type DragEvent } from 'react';
import type { DatasetName } from '../data/types';
import { formatBytes } from '../store/compare';
import { DATASET_LABELS } from '../store/settings';
import { datasetSourceFor, loadingDataset } from '../store/selectors';
import { useApp, useAppState } from './context';
import { SettingField } from './fields';
import { SampleGrid } from './SampleGrid';

function Availability() {
  const app = useApp();
  const name = useAppState((s) => s.settings.dataset);
  const cached = useAppState((s) => s.datasets.cached.filter((c) => c.name === name));
  const source = useAppState((s) => datasetSourceFor(s, name));
  if (name === 'synthetic') return <p className="hint">Generated from the seed; nothing to download.</p>;
  if (!source || source.kind !== 'cached') {
    return (
      <p className="notice-inline" id="dataset-missing">
        {DATASET_LABELS[name]} is not in this browser yet. Load it below; it is kept for next time.
      </p>
    );
  }
  const current = cached.find((c) => c.source === source.source);
  return (
    <div className="availability">
      {cached.length > 1 ? (
        <label className="inline-select">
          <span className="label-text">Copy</span>
          <select value={source.source} onChange={(e) => app.chooseSource(name, e.target.value)}>
            {cached.map((c) => (
              <option key={c.source} value={c.source}>
                {c.source}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="hint">
          Ready: <span className="mono">{source.source}</span>
        </p>
      )}
      {current && (
        <p className="hint">
          {current.trainCount.toLocaleString('en-US')} training and {current.testCount.toLocaleString('en-US')} test images,{' '}
          {formatBytes(current.bytes)} {current.stored === false ? 'in memory only (not stored in this browser)' : 'stored'}
        </p>
      )}
    </div>
  );
}

function LoadProgress() {
  const app = useApp();
  const load = useAppState((s) => s.datasets.load);
  if (!load) return null;
  const fraction = load.totalBytes ? Math.min(1, load.loadedBytes / load.totalBytes) : null;
  const stage = load.stage === 'download' ? 'Downloading' : load.stage === 'parse' ? 'Reading' : 'Starting';
  if (load.error) {
    return (
      <div className="load-error">
        <p>
          <strong>Could not load {load.label}.</strong> {load.error}
        </p>
        {load.via === 'url' && /cross-origin|CORS|could not be reached|Failed to fetch/i.test(load.error) && (
          <p className="hint">
            The server does not let other sites read this file (CORS). Download it with your browser instead, then drop it on the zone above
            or pick it with “Choose files…”.
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="load-progress">
      <div
        className="bar"
        role="progressbar"
        aria-label="Dataset loading"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      >
        <div
          className={`fill${fraction === null ? ' indeterminate' : ''}`}
          style={{ width: fraction === null ? '30%' : `${fraction * 100}%` }}
        />
      </div>
      <p className="hint">
        {stage} {load.label}: {formatBytes(load.loadedBytes)}
        {load.totalBytes ? ` of ${formatBytes(load.totalBytes)}` : ''}{' '}
        <button type="button" className="link" onClick={() => app.cancelLoad()}>
          Cancel
        </button>
      </p>
    </div>
  );
}

function Loader() {
  const app = useApp();
  const served = useAppState((s) => s.datasets.served);
  const busy = useAppState(loadingDataset);
  const cachedCount = useAppState((s) => s.datasets.cached.length);
  const needsLoad = useAppState((s) => datasetSourceFor(s, s.settings.dataset) === null);
  const [url, setUrl] = useState('');
  const [over, setOver] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length) app.loadFiles(files);
  };

  return (
    <details className="loader" key={needsLoad ? 'needed' : 'optional'} open={needsLoad}>
      <summary>Load CIFAR-10, CIFAR-100 or Fashion-MNIST</summary>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        role="group"
        aria-label="Drop dataset files here"
      >
        <p>
          Drop <span className="mono">cifar-10-binary.tar.gz</span>, <span className="mono">cifar-100-binary.tar.gz</span>, their{' '}
          <span className="mono">.bin</span> files, or the four Fashion-MNIST IDX files here
        </p>
        <button type="button" onClick={() => picker.current?.click()} disabled={busy}>
          Choose files…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Dataset files"
          accept=".gz,.tgz,.tar,.bin,.txt,application/gzip,application/x-tar"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            app.loadFiles(files);
          }}
        />
      </div>
      <form
        className="url-row"
        onSubmit={(e) => {
          e.preventDefault();
          app.loadUrl(url);
        }}
      >
        <label htmlFor="dataset-url" className="label-text">
          Or a URL
        </label>
        <input
          id="dataset-url"
          type="url"
          placeholder="https://…/cifar-10-binary.tar.gz"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-describedby="dataset-url-help"
        />
        <button type="submit" disabled={busy || url.trim() === ''}>
          Load URL
        </button>
        <span id="dataset-url-help" className="hint">
          The server must allow cross-origin reads (CORS); most do not — then download the file and drop it here.
        </span>
      </form>
      {served.length > 0 && (
        <div className="served">
          <p className="label-text">Served by this app</p>
          {served.map((entry) => (
            <button
              key={entry.file}
              type="button"
              disabled={busy}
              onClick={() => app.loadUrl(`/datasets/${encodeURIComponent(entry.file)}`, entry.name as DatasetName)}
            >
              Load {entry.file} ({formatBytes(entry.bytes)})
            </button>
          ))}
        </div>
      )}
      {cachedCount > 0 && (
        <button type="button" className="link" onClick={() => app.clearDatasets()}>
          Forget the {cachedCount} stored dataset{cachedCount > 1 ? 's' : ''}
        </button>
      )}
    </details>
  );
}

export function DatasetSection() {
  return (
    <section className="panel-group" aria-labelledby="group-data">
      <h3 id="group-data">Data</h3>
      <SettingField id="dataset" />
      <Availability />
      <Loader />
      <LoadProgress />
      <div className="pair">
        <SettingField id="trainSize" />
        <SettingField id="testSize" />
        <SettingField id="labelNoise" />
        <SettingField id="augment" />
      </div>
      <SampleGrid />
    </section>
  );
}
