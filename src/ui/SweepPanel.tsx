/** The β/γ sweep of the paper's Fig. 3: set the grid, queue it, follow it, stop it, plot and export it. */
import { memo, useMemo } from 'react';
import { mergeRows, secondsPerEpoch } from '../store/compare';
import { figure, titleOf, type FigureRole } from '../store/figures';
import { sweepBlockers } from '../store/selectors';
import { planSweep, sweepGroups, sweepPoints, sweepProgress, type SweepGroup, type SweepParam, type SweepPoint } from '../store/sweep';
import { ChartCard, MultiLineChart, type LegendItem } from './charts';
import { useApp, useAppState } from './context';
import { downloadJson } from './download';
import { fig3Dot, Fig3Chart, type Fig3Series } from './Fig3Chart';

const FIG3 = figure('sweepFig3');
const FIG7 = figure('sweepLinearity');
const ROLES: readonly FigureRole[] = FIG3.roles;
const isSwept = (r: FigureRole) => r.key === 'beta' || r.key === 'gamma';
/** The sweeps' lines (β, γ) and the references' single dots (SGD, SAM, ESAM). */
const LINES = ROLES.filter(isSwept);
const REFERENCES = ROLES.filter((r) => !isSwept(r));

function SweepForm() {
  const app = useApp();
  const spec = useAppState((s) => s.sweepSpec);
  const settings = useAppState((s) => s.settings);
  const blockers = useAppState(sweepBlockers);
  const count = blockers.length ? 0 : planSweep(settings, spec, '', '').length;
  const toggle = (param: SweepParam, on: boolean) =>
    app.setSweepSpec({ params: (['beta', 'gamma'] as const).filter((p) => (p === param ? on : spec.params.includes(p))) });
  const numberField = (key: 'from' | 'to' | 'step', label: string) => (
    <label className="sweep-number">
      {label}
      <input
        type="number"
        step="0.05"
        value={Number.isFinite(spec[key]) ? spec[key] : ''}
        onChange={(e) => app.setSweepSpec({ [key]: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
      />
    </label>
  );
  return (
    <div className="sweep-form">
      <fieldset>
        <legend>Sweep</legend>
        <label className="check-label">
          <input type="checkbox" checked={spec.params.includes('beta')} onChange={(e) => toggle('beta', e.target.checked)} />β (ESAM-SWP, γ
          = 1)
        </label>
        <label className="check-label">
          <input type="checkbox" checked={spec.params.includes('gamma')} onChange={(e) => toggle('gamma', e.target.checked)} />γ (ESAM-SDS,
          β = 1)
        </label>
      </fieldset>
      <div className="sweep-grid">
        {numberField('from', 'from')}
        {numberField('to', 'to')}
        {numberField('step', 'step')}
      </div>
      <label className="check-label">
        <input type="checkbox" checked={spec.references} onChange={(e) => app.setSweepSpec({ references: e.target.checked })} />
        also SGD, SAM and ESAM (β = {settings.beta}, γ = {settings.gamma}) as references
      </label>
      <div className="buttons">
        <button type="button" disabled={blockers.length > 0} onClick={() => app.startSweep()}>
          Start sweep
        </button>
        {count > 0 && (
          <span className="hint">
            Queues {count} runs with the panel’s data, model, seed and schedule; each also appears in the run list.
          </span>
        )}
      </div>
      {blockers.length > 0 && (
        <ul className="blocked" aria-label="Why the sweep cannot start">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const SweepFigure = memo(function SweepFigure({ group }: { group: SweepGroup }) {
  const points = sweepPoints(group, secondsPerEpoch);
  const toDot = (p: SweepPoint) => fig3Dot(p.secondsPerEpoch, p.testAcc, p.value === null ? '' : String(p.value));
  const lines: Fig3Series[] = LINES.map((role) => ({
    key: role.key,
    name: role.name,
    color: role.color,
    line: true,
    dots: points
      .filter((p) => p.role === role.key)
      .sort((a, b) => (a.value ?? 0) - (b.value ?? 0))
      .map(toDot),
  })).filter((l) => l.dots.length > 0);
  const refs: Fig3Series[] = REFERENCES.map((r) => ({
    key: r.key,
    name: r.name,
    color: r.color,
    shape: r.shape,
    dots: points.filter((p) => p.role === r.key).map(toDot),
  })).filter((r) => r.dots.length > 0);
  const series = [...lines, ...refs];
  const legend: LegendItem[] = series.map((s) => ({ name: s.name, color: s.color }));
  return (
    <ChartCard
      title={titleOf('sweepFig3', { sweep: group.name })}
      points={points.length}
      legend={legend}
      empty="The figure fills in as the sweep’s runs finish."
      explanation={FIG3.explanation}
    >
      <Fig3Chart height={260} xFromZero={false} series={series} />
    </ChartCard>
  );
});

/** The paper's Fig. 7 for a sweep whose runs measured ζ: ζ(ε, B) per epoch, one line per run. */
const SweepLinearity = memo(function SweepLinearity({ group }: { group: SweepGroup }) {
  const measured = group.entries.filter((e) => e.record.epochs.some((ep) => ep.linearity !== undefined));
  if (measured.length === 0) return null;
  const rows = mergeRows(
    measured.flatMap((e) =>
      e.record.epochs.flatMap((ep) => (ep.linearity === undefined ? [] : [{ series: e.record.id, x: ep.epoch, y: ep.linearity }])),
    ),
  );
  const series = measured.map((e) => ({ key: e.record.id, name: e.record.name, color: e.color }));
  return (
    <ChartCard title={titleOf('sweepLinearity', { sweep: group.name })} points={rows.length} legend={series} explanation={FIG7.explanation}>
      <MultiLineChart rows={rows} series={series} xLabel={FIG7.xLabel} yLabel={FIG7.yLabel} dots xInteger />
    </ChartCard>
  );
});

function SweepCard({ group }: { group: SweepGroup }) {
  const app = useApp();
  const progress = useAppState((s) => sweepProgress(group, s.progress));
  const percent = Math.round(progress.fraction * 100);
  const stopped = group.entries.filter((e) => e.phase === 'finished' && e.record.status !== 'completed').length;
  return (
    <div className="sweep" data-sweep={group.id} aria-label={group.name}>
      <div className="progress-head">
        <h3>{group.name}</h3>
        <span className="hint" data-testid="sweep-count">
          {progress.finished} of {progress.total} runs finished{stopped > 0 ? ` (${stopped} not completed)` : ''}
        </span>
        <div className="buttons">
          <button type="button" disabled={progress.live === 0} onClick={() => app.stopSweep(group.id)} aria-label={`Stop ${group.name}`}>
            Stop sweep
          </button>
          <button
            type="button"
            aria-label={`Export ${group.name} as JSON`}
            onClick={() => {
              const out = app.exportSweep(group.id);
              if (out) downloadJson(out.fileName, out.json);
            }}
          >
            Export sweep JSON
          </button>
        </div>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={`Progress of ${group.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="chart-grid">
        <SweepFigure group={group} />
        <SweepLinearity group={group} />
      </div>
    </div>
  );
}

export function SweepPanel() {
  const order = useAppState((s) => s.order);
  const runs = useAppState((s) => s.runs);
  const groups = useMemo(() => sweepGroups(order, runs), [order, runs]);
  return (
    <section className="card" aria-labelledby="sweep-heading">
      <div className="card-head">
        <h2 id="sweep-heading">β and γ sweep (Fig. 3)</h2>
      </div>
      <p className="hint">
        Trains ESAM-SWP over a grid of β and/or ESAM-SDS over a grid of γ (the paper uses 0.3 to 0.9 in steps of 0.1), one run after another
        on the same data, model and seed, and plots each run’s accuracy against its time per epoch.
      </p>
      <SweepForm />
      {[...groups].reverse().map((g) => (
        <SweepCard key={g.id} group={g} />
      ))}
    </section>
  );
}
