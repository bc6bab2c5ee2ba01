/**
 * Loss landscapes of finished runs (the paper's Fig. 4, and Fig. 8 along adversarial directions):
 * choose runs and a grid, follow the worker's progress, and compare up to three heatmaps on one
 * colour scale.
 */
import { memo, useMemo, useState } from 'react';
import type { LandscapeOptions, LandscapeRecord } from '../engine/landscape/record';
import { figure, titleOf } from '../store/figures';
import { MAX_SHOWN_LANDSCAPES } from '../store/landscapes';
import { landscapeBlockers, landscapeCandidates } from '../store/selectors';
import { useApp, useAppState } from './context';
import { ChartCard } from './charts';
import { downloadJson } from './download';
import { contourLevels } from './landscape/contours';
import { ColorBar, Heatmap } from './landscape/Heatmap';
import { sharedRange } from './landscape/color-scale';

const LANDSCAPE = figure('landscape');
const RESOLUTIONS = [5, 11, 21, 31, 41, 51];
/** Side of each heatmap when one, two or three are shown, so that a row fits beside the colour bar. */
const HEATMAP_SIZES = [300, 250, 180];

function describeOptions(o: LandscapeOptions, probeCount?: number): string {
  return `${o.kind}, ${o.resolution}×${o.resolution}, ±${o.span}, seed ${o.seed}, ${probeCount ?? o.probeSize} ${o.probe} images`;
}

function OptionsForm() {
  const app = useApp();
  const o = useAppState((s) => s.landscapes.options);
  const num = (key: 'span' | 'seed' | 'probeSize', label: string, step: string) => (
    <label>
      {label}
      <input
        type="number"
        step={step}
        value={Number.isFinite(o[key]) ? o[key] : ''}
        onChange={(e) => app.setLandscapeOptions({ [key]: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
      />
    </label>
  );
  return (
    <div className="landscape-options">
      <label>
        Directions
        <select value={o.kind} onChange={(e) => app.setLandscapeOptions({ kind: e.target.value as LandscapeOptions['kind'] })}>
          <option value="random">random, filter-normalised (Fig. 4)</option>
          <option value="adversarial">gradients of two half-batches (Fig. 8)</option>
        </select>
      </label>
      <label>
        Grid
        <select value={o.resolution} onChange={(e) => app.setLandscapeOptions({ resolution: Number(e.target.value) })}>
          {RESOLUTIONS.map((r) => (
            <option key={r} value={r}>
              {r} × {r}
            </option>
          ))}
        </select>
      </label>
      {num('span', 'Span ±', '0.25')}
      {num('seed', 'Seed', '1')}
      <label>
        Probe set
        <select value={o.probe} onChange={(e) => app.setLandscapeOptions({ probe: e.target.value as LandscapeOptions['probe'] })}>
          <option value="train">training images</option>
          <option value="test">test images</option>
        </select>
      </label>
      {num('probeSize', 'Probe images', '64')}
      {o.kind === 'adversarial' && (
        <p className="hint">Along adversarial directions one unit is one SGD step on half a batch: a span of 10 to 50 shows more.</p>
      )}
    </div>
  );
}

function RunChooser() {
  const app = useApp();
  const candidates = useAppState(landscapeCandidates);
  const names = useAppState((s) => candidates.map((id) => s.runs[id].record.name));
  const options = useAppState((s) => s.landscapes.options);
  const [chosen, setChosen] = useState<string[]>([]);
  const picked = chosen.filter((id) => candidates.includes(id));
  const blockers = useAppState((s) => landscapeBlockers(s, picked));
  if (candidates.length === 0) {
    return (
      <p className="hint">
        No run has stored weights yet: a run trained here keeps its final weights once it completes (or is stopped after an epoch).
      </p>
    );
  }
  return (
    <div className="landscape-runs">
      <fieldset>
        <legend>Runs</legend>
        {candidates.map((id, i) => (
          <label key={id} className="check-label">
            <input
              type="checkbox"
              checked={picked.includes(id)}
              onChange={(e) => setChosen(e.target.checked ? [...picked, id] : picked.filter((x) => x !== id))}
            />
            {names[i]}
          </label>
        ))}
      </fieldset>
      <div className="buttons">
        <button type="button" disabled={picked.length === 0 || blockers.length > 0} onClick={() => void app.computeLandscapes(picked)}>
          Compute landscape
        </button>
        <span className="hint">
          {picked.length === 0
            ? 'Tick one to three runs.'
            : `${picked.length} × ${options.resolution * options.resolution} evaluations of the probe set.`}
        </span>
      </div>
      {blockers.length > 0 && (
        <ul className="blocked">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Jobs() {
  const app = useApp();
  const jobs = useAppState((s) => s.landscapes.jobs);
  if (jobs.length === 0) return null;
  return (
    <ul className="landscape-jobs">
      {jobs.map((j) => {
        const percent = j.total ? Math.round((100 * j.done) / j.total) : 0;
        return (
          <li key={j.id}>
            <span>
              {j.runName}: {describeOptions(j.options)} — {j.total ? `${j.done} of ${j.total} points` : 'queued'}
            </span>
            <div
              className="bar"
              role="progressbar"
              aria-label={`Landscape of ${j.runName}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="fill" style={{ width: `${percent}%` }} />
            </div>
            <button type="button" onClick={() => app.cancelLandscape(j.id)}>
              Cancel
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function Computed() {
  const app = useApp();
  const records = useAppState((s) => s.landscapes.records);
  const shown = useAppState((s) => s.landscapes.shown);
  if (records.length === 0) return null;
  return (
    <div className="landscape-list">
      <div className="table-wrap">
        <table className="summary-table">
          <caption className="visually-hidden">Computed landscapes</caption>
          <thead>
            <tr>
              <th scope="col">Show</th>
              <th scope="col">Run</th>
              <th scope="col">Landscape</th>
              <th scope="col" className="num">
                Loss at θ
              </th>
              <th scope="col" className="num">
                Time
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...records].reverse().map((r) => (
              <tr key={r.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Show the landscape of ${r.runName}`}
                    checked={shown.includes(r.id)}
                    onChange={(e) => app.showLandscape(r.id, e.target.checked)}
                  />
                </td>
                <th scope="row">{r.runName}</th>
                <td>{describeOptions(r.options, r.probeCount)}</td>
                <td className="num">{r.originLoss.toFixed(4)}</td>
                <td className="num">{r.seconds.toFixed(1)} s</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      const out = app.exportLandscapes([r.id]);
                      if (out) downloadJson(out.fileName, out.json);
                    }}
                  >
                    JSON
                  </button>
                  <button type="button" aria-label={`Delete the landscape of ${r.runName}`} onClick={() => app.deleteLandscape(r.id)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="buttons">
        <button
          type="button"
          onClick={() => {
            const out = app.exportLandscapes();
            if (out) downloadJson(out.fileName, out.json);
          }}
        >
          Export landscapes JSON
        </button>
        <span className="hint">Up to {MAX_SHOWN_LANDSCAPES} are shown side by side.</span>
      </div>
    </div>
  );
}

const Heatmaps = memo(function Heatmaps({ records }: { records: LandscapeRecord[] }) {
  const [log, setLog] = useState(true);
  const range = useMemo(() => sharedRange(records.map((r) => r.loss)), [records]);
  const useLog = log && range.min > 0;
  const levels = useMemo(() => contourLevels(range.min, range.max, 8, useLog), [range, useLog]);
  const footer = `loss from ${range.min.toPrecision(3)} to ${range.max.toPrecision(3)}${useLog ? ' (log colour scale)' : ''}`;
  return (
    <ChartCard
      title={titleOf('landscape')}
      points={records.length}
      footer={footer}
      controls={
        <label className="check-label">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          log colour scale
        </label>
      }
      explanation={LANDSCAPE.explanation}
    >
      <div className="heatmap-row">
        {records.map((r) => (
          <Heatmap
            key={r.id}
            title={`${r.runName} — ${r.options.kind === 'random' ? 'random' : 'adversarial'}`}
            coords={r.coords}
            grid={r.loss}
            scale={{ min: range.min, max: range.max, log: useLog }}
            levels={levels}
            size={HEATMAP_SIZES[records.length - 1] ?? 200}
            xLabel={LANDSCAPE.xLabel}
            yLabel={LANDSCAPE.yLabel}
          />
        ))}
        <ColorBar min={range.min} max={range.max} log={useLog} size={HEATMAP_SIZES[records.length - 1] ?? 200} />
      </div>
    </ChartCard>
  );
});

export function LandscapePanel() {
  const records = useAppState((s) => s.landscapes.records);
  const shownIds = useAppState((s) => s.landscapes.shown);
  const shown = useMemo(() => records.filter((r) => shownIds.includes(r.id)), [records, shownIds]);
  return (
    <section className="card" aria-labelledby="landscape-heading">
      <div className="card-head">
        <h2 id="landscape-heading">Loss landscape (Fig. 4 and 8)</h2>
      </div>
      <p className="hint">
        The loss around a finished run’s final weights, along two seeded directions, computed in the training worker after any queued runs.
        Weights stay in this browser, so landscapes can be computed after a reload.
      </p>
      <OptionsForm />
      <RunChooser />
      <Jobs />
      <Computed />
      {shown.length > 0 && <Heatmaps records={shown} />}
    </section>
  );
}
