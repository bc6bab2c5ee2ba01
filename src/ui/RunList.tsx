/** Every run with its editable name, colour and status in words; selection, export and import. */
import { memo, useRef, useState } from 'react';
import { formatPercent } from '../store/compare';
import { isLive, statusWords, type RunEntry } from '../store/runs';
import { DATASET_LABELS } from '../store/settings';
import { useApp, useAppState } from './context';
import { downloadJson } from './download';
import { PytorchCommands } from './PytorchExport';

const RunRow = memo(function RunRow({ entry, index, selected }: { entry: RunEntry; index: number; selected: boolean }) {
  const app = useApp();
  const { record } = entry;
  const [name, setName] = useState<string | null>(null);
  const [showPytorch, setShowPytorch] = useState(false);
  const status = statusWords(entry);
  const last = record.epochs[record.epochs.length - 1];
  const c = record.config;
  const live = isLive(entry);
  const label = record.name || `run ${index + 1}`;
  return (
    <li className={`run-row${selected ? ' selected' : ''}`} data-run-id={record.id} data-status={status}>
      <input
        type="checkbox"
        className="run-select"
        checked={selected}
        onChange={() => app.toggleSelected(record.id)}
        aria-label={`Select ${label}`}
      />
      <input
        type="color"
        className="run-color"
        value={entry.color}
        onChange={(e) => app.setColor(record.id, e.target.value)}
        aria-label={`Colour of ${label}`}
      />
      <input
        type="text"
        className="run-name-input"
        value={name ?? record.name}
        aria-label={`Name of run ${index + 1}`}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => {
          if (name !== null && name.trim() !== '' && name !== record.name) app.renameRun(record.id, name.trim());
          setName(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            setName(null);
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      <span className={`status status-${status}`} data-testid="run-status">
        {status}
      </span>

      <span className="run-meta">
        {record.epochs.length}/{c.epochs} epochs · test {formatPercent(last?.testAcc ?? null)} · {DATASET_LABELS[c.dataset.name]}
        {c.dataset.trainSize ? ` (${c.dataset.trainSize.toLocaleString('en-US')})` : ''} · {record.environment.backend}
        {entry.imported ? ' · imported' : ''}
        {record.warnings?.length ? (
          <>
            {' · '}
            <span className="run-unstable" data-testid="run-unstable">
              unstable
            </span>
          </>
        ) : null}
      </span>
      <span className="run-actions">
        <button
          type="button"
          className="small"
          onClick={() => app.useRunConfig(record.id)}
          aria-label={`Use settings of ${label}`}
          title="Load this run’s settings into the panel"
        >
          Use settings
        </button>
        <button
          type="button"
          className="small"
          aria-label={`Export run ${label}`}
          title="Download this run as JSON"
          onClick={() => {
            const out = app.exportRuns({ ids: [record.id] });
            if (out) downloadJson(out.fileName, out.json);
          }}
        >
          Export
        </button>
        <button
          type="button"
          className="small"
          aria-expanded={showPytorch}
          aria-label={`Export ${label} as PyTorch`}
          title="The commands that train this run's setup with the PyTorch twin, on a CPU or GPUs"
          onClick={() => setShowPytorch(!showPytorch)}
        >
          PyTorch
        </button>
        {live && entry.phase === 'queued' && (
          <button type="button" className="small" aria-label={`Cancel ${label}`} onClick={() => app.stop(record.id)}>
            Cancel
          </button>
        )}
        <button
          type="button"
          className="small danger"
          aria-label={`Delete run ${label}`}
          onClick={() => {
            if (!live || window.confirm(`“${label}” is ${status}. Stop and delete it?`)) app.deleteRun(record.id);
          }}
        >
          Delete
        </button>
      </span>
      {record.error && (status === 'failed' || status === 'diverged') && <p className="run-error">{record.error}</p>}
      {showPytorch && <PytorchCommands config={record.config} />}
      {record.warnings?.length ? (
        <div className="run-warnings">
          {record.warnings.map((w) => (
            <p key={w.reason}>{w.message}</p>
          ))}
        </div>
      ) : null}
    </li>
  );
});

export function RunList() {
  const app = useApp();
  const entries = useAppState((s) => s.order.map((id) => s.runs[id]));
  const selected = useAppState((s) => s.selected);
  const [scope, setScope] = useState<'selected' | 'all'>('selected');
  const importer = useRef<HTMLInputElement>(null);
  const effectiveScope = scope === 'selected' && selected.length === 0 ? 'all' : scope;
  const count = effectiveScope === 'all' ? entries.length : selected.length;

  return (
    <section className="card runs" aria-labelledby="runs-heading">
      <div className="card-head">
        <h2 id="runs-heading">Runs</h2>
        <div className="toolbar">
          <label className="inline-select">
            <span className="label-text">Export</span>
            <select value={scope} onChange={(e) => setScope(e.target.value as 'selected' | 'all')} aria-label="Runs to export">
              <option value="selected">selected runs ({selected.length})</option>
              <option value="all">all runs ({entries.length})</option>
            </select>
          </label>
          <button
            type="button"
            disabled={count === 0}
            onClick={() => {
              const out = app.exportRuns(effectiveScope);
              if (out) downloadJson(out.fileName, out.json);
            }}
          >
            Export JSON
          </button>
          <button type="button" onClick={() => importer.current?.click()}>
            Import JSON
          </button>
          <input
            ref={importer}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="Run JSON file to import"
            data-testid="import-input"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) await app.importFile(file);
            }}
          />
        </div>
      </div>
      {entries.length === 0 ? (
        <p className="hint">No runs yet. Runs are kept in this browser until you delete them; export them to share.</p>
      ) : (
        <>
          <div className="select-all">
            <label>
              <input type="checkbox" checked={selected.length === entries.length} onChange={(e) => app.selectAll(e.target.checked)} />{' '}
              Select all
            </label>
            <span className="hint">Selected runs are drawn in the charts, compared below, and exported.</span>
          </div>
          <ol className="run-list">
            {entries.map((e, i) => (
              <RunRow key={e.record.id} entry={e} index={i} selected={selected.includes(e.record.id)} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
