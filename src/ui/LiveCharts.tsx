/** Live charts of the selected runs, updated as epochs arrive, and the paper's Fig. 5 and 6 diagnostics. */
import { memo, useMemo } from 'react';
import type { RunRecord } from '../engine/run-record';
import { downsample, mergeRows, metricDef, metricPoints, type Point } from '../store/compare';
import { figure, titleOf } from '../store/figures';
import { chartSubjects, isGroup, subjectPoints, type ChartSubject } from '../store/groups';
import type { RunEntry } from '../store/runs';
import { ChartCard, MultiLineChart, type LegendItem } from './charts';
import { useApp, useAppState, useSelectedEntries, useThrottled } from './context';
import { RunPicker } from './fields';
import { FlippedChart, hasFlippedShares, SdsGallery } from './SdsGallery';

/** The legend's colour for what a line style means (test solid, train dashed). */
const STYLE_INK = '#4a5260';
const NO_LOSSES: number[] = [];

function runLegend(entries: RunEntry[], extra: LegendItem[] = []): LegendItem[] {
  return [...entries.map((e) => ({ name: e.record.name, color: e.color })), ...extra];
}

function subjectLegend(subjects: ChartSubject[], extra: LegendItem[] = []): LegendItem[] {
  return [...subjects.map((s) => ({ name: isGroup(s) ? `${s.name} (mean ± std)` : s.name, color: s.color })), ...extra];
}

/** Test (solid, with the seed groups' bands) and training (dashed) values of one metric per subject. */
const TrainTestChart = memo(function TrainTestChart({ entries, figureId }: { entries: RunEntry[]; figureId: 'loss' | 'accuracy' }) {
  const fig = figure(figureId);
  const [test] = fig.series;
  const percent = metricDef(test.key).percent === true;
  const subjects = useMemo(() => chartSubjects(entries), [entries]);
  const rows = useMemo(
    () => mergeRows(subjects.flatMap((s) => fig.series.flatMap((m) => subjectPoints(s, m.key, 'epoch', `${s.id}:${m.name}`)))),
    [subjects, fig],
  );
  const series = subjects.flatMap((s) =>
    fig.series.map((m) => ({ ...m, key: `${s.id}:${m.name}`, name: `${s.name} — ${m.name}`, color: s.color })),
  );
  const bands = subjects.filter(isGroup).map((s) => ({ key: `${s.id}:${test.name}`, color: s.color }));
  const legend = subjectLegend(
    subjects,
    fig.series.map((m) => ({
      name: `${m.name} (${'dash' in m ? 'dashed' : 'solid'})`,
      color: STYLE_INK,
      ...('dash' in m ? { dash: m.dash } : {}),
    })),
  );
  return (
    <ChartCard title={titleOf(figureId)} points={rows.length} legend={legend} explanation={fig.explanation}>
      <MultiLineChart
        rows={rows}
        series={series}
        dots
        xInteger
        xLabel={fig.xLabel}
        yLabel={fig.yLabel}
        valueSuffix={percent ? '%' : ''}
        yDomain={percent ? [0, 100] : undefined}
        bands={bands}
      />
    </ChartCard>
  );
});

const StepLossChart = memo(function StepLossChart({ entries }: { entries: RunEntry[] }) {
  const ids = useMemo(() => entries.map((e) => e.record.id), [entries]);
  const liveLosses = useAppState((s) => ids.map((id) => s.stepLosses[id] ?? NO_LOSSES));
  // Step losses arrive several times a second: redraw at most twice a second.
  const losses = useThrottled(liveLosses, 500);
  const rows = useMemo(
    () => mergeRows(losses.flatMap((l, i) => downsample(l, 400).map((p) => ({ series: ids[i], x: p.x, y: p.y })))),
    [losses, ids],
  );
  const series = entries.map((e) => ({ key: e.record.id, name: e.record.name, color: e.color, width: 1.5 }));
  const fig = figure('stepLoss');
  return (
    <ChartCard
      title={titleOf('stepLoss')}
      points={rows.length}
      legend={runLegend(entries)}
      empty={
        entries.length > 0 && entries.every((e) => e.phase === 'finished')
          ? 'Per-step losses are kept only for runs trained in this browser.'
          : undefined
      }
      explanation={fig.explanation}
    >
      <MultiLineChart rows={rows} series={series} xLabel={fig.xLabel} yLabel={fig.yLabel} xInteger />
    </ChartCard>
  );
});

/** One epoch metric per subject (a seed group with its band). */
const SingleMetricChart = memo(function SingleMetricChart({
  entries,
  figureId,
}: {
  entries: RunEntry[];
  figureId: 'throughput' | 'sharpness';
}) {
  const fig = figure(figureId);
  const metric = fig.series[0].key;
  const subjects = useMemo(() => chartSubjects(entries), [entries]);
  const rows = useMemo(() => mergeRows(subjects.flatMap((s) => subjectPoints(s, metric, 'epoch', s.id))), [subjects, metric]);
  const series = subjects.map((s) => ({ key: s.id, name: s.name, color: s.color }));
  const bands = subjects.filter(isGroup).map((s) => ({ key: s.id, color: s.color }));
  return (
    <ChartCard title={titleOf(figureId)} points={rows.length} legend={subjectLegend(subjects)} explanation={fig.explanation}>
      <MultiLineChart rows={rows} series={series} xLabel={fig.xLabel} yLabel={fig.yLabel} dots xInteger bands={bands} />
    </ChartCard>
  );
});

function DiagnosticsChart({ entry, figureId }: { entry: RunEntry; figureId: 'fig5' | 'fig6' }) {
  const fig = figure(figureId);
  const specs = fig.series;
  const rows = useMemo(() => mergeRows(specs.flatMap((s) => metricPoints(entry.record, s.key, 'epoch', s.key))), [entry.record, specs]);
  return (
    <ChartCard
      title={titleOf(figureId)}
      points={rows.length}
      legend={specs.map((s) => ({ name: s.name, color: s.color, ...('dash' in s ? { dash: s.dash } : {}) }))}
      explanation={fig.explanation}
    >
      <MultiLineChart rows={rows} series={specs} xLabel={fig.xLabel} yLabel={fig.yLabel} dots xInteger />
    </ChartCard>
  );
}

const LINEARITY = figure('linearity');

/** ζ per epoch of a run, one series per subset; epochs without the keys give no point. */
function linearityPoints(record: RunRecord): Point[] {
  return record.epochs.flatMap((e) =>
    LINEARITY.series.flatMap((s) => {
      const y = e[s.key];
      return y === undefined ? [] : [{ series: s.key, x: e.epoch, y }];
    }),
  );
}

/** Whether a run measures ζ (or, imported, has values of it). */
function hasLinearity(record: RunRecord): boolean {
  return record.config.linearity === true || record.epochs.some((e) => e.linearity !== undefined);
}

function LinearityHint() {
  return (
    <p className="hint">
      {titleOf('linearity')} is not measured for this run: turn on “Linearity ζ (extra diagnostic)” in the optimizer settings (
      <code>linearity=1</code> in the address, <code>--linearity</code> on the CLI) to add it.
    </p>
  );
}

/** The focused run's ζ for B, B+ and B− per epoch. */
function LinearityChart({ entry }: { entry: RunEntry }) {
  const rows = useMemo(() => mergeRows(linearityPoints(entry.record)), [entry.record]);
  return (
    <ChartCard
      title={titleOf('linearity')}
      points={rows.length}
      legend={LINEARITY.series.map((s) => ({ name: s.name, color: s.color }))}
      explanation={LINEARITY.explanation}
    >
      <MultiLineChart rows={rows} series={LINEARITY.series} xLabel={LINEARITY.xLabel} yLabel={LINEARITY.yLabel} dots xInteger />
    </ChartCard>
  );
}

const HESSIAN = figure('hessian');

/** Whether a run measures λ_max (or, imported, has values of it). */
function hasHessian(record: RunRecord): boolean {
  return record.config.hessian === true || record.epochs.some((e) => e.lambdaMax !== undefined);
}

/** λ_max per epoch, one line per run that measured it; epochs without the key give no point. */
const HessianChart = memo(function HessianChart({ entries }: { entries: RunEntry[] }) {
  const key = HESSIAN.series[0].key;
  const rows = useMemo(
    () =>
      mergeRows(
        entries.flatMap((e) =>
          e.record.epochs.flatMap((ep) => {
            const y = ep[key];
            return y === undefined ? [] : [{ series: e.record.id, x: ep.epoch, y }];
          }),
        ),
      ),
    [entries, key],
  );
  const series = entries.map((e) => ({ key: e.record.id, name: e.record.name, color: e.color }));
  return (
    <ChartCard title={titleOf('hessian')} points={rows.length} legend={runLegend(entries)} explanation={HESSIAN.explanation}>
      <MultiLineChart rows={rows} series={series} xLabel={HESSIAN.xLabel} yLabel={HESSIAN.yLabel} dots xInteger />
    </ChartCard>
  );
});

function FocusPicker({ entries, focus }: { entries: RunEntry[]; focus: RunEntry | null }) {
  const app = useApp();
  if (entries.length === 0) return null;
  return <RunPicker label="Diagnostics of" entries={entries} value={focus?.record.id ?? ''} onChange={(id) => app.setFocus(id)} />;
}

export function LiveCharts() {
  const entries = useSelectedEntries();
  const focusId = useAppState((s) => s.focusId);
  const focus = entries.find((e) => e.record.id === focusId) ?? entries[entries.length - 1] ?? null;
  const hessianEntries = useMemo(() => entries.filter((e) => hasHessian(e.record)), [entries]);
  return (
    <>
      <section className="card" aria-labelledby="charts-heading">
        <div className="card-head">
          <h2 id="charts-heading">Training curves</h2>
          <p className="hint">
            {entries.length ? `${entries.length} selected run${entries.length > 1 ? 's' : ''}` : 'Select runs in the list to draw them.'}
          </p>
        </div>
        <div className="chart-grid">
          <TrainTestChart entries={entries} figureId="loss" />
          <TrainTestChart entries={entries} figureId="accuracy" />
          <StepLossChart entries={entries} />
          <SingleMetricChart entries={entries} figureId="throughput" />
        </div>
      </section>
      <section className="card" aria-labelledby="diagnostics-heading">
        <div className="card-head">
          <h2 id="diagnostics-heading">Sharpness diagnostics</h2>
          <FocusPicker entries={entries} focus={focus} />
        </div>
        <p className="hint">
          Measured after every epoch on one fixed probe batch, for every optimizer (SGD too), with ε = ρ·∇L/‖∇L‖ and B+ = the ⌊γ·|B|⌋
          samples whose loss rises most (γ of the run, or 0.5 without SDS).
        </p>
        <div className="chart-grid">
          {focus ? (
            <>
              <DiagnosticsChart entry={focus} figureId="fig5" />
              <DiagnosticsChart entry={focus} figureId="fig6" />
              {hasLinearity(focus.record) && <LinearityChart entry={focus} />}
              {hessianEntries.length > 0 && <HessianChart entries={hessianEntries} />}
              <SdsGallery entry={focus} />
              {hasFlippedShares(focus) && <FlippedChart entry={focus} />}
            </>
          ) : (
            <>
              <ChartCard title={titleOf('fig5')} points={0} explanation="Select a run to see its diagnostics.">
                {null}
              </ChartCard>
              <ChartCard title={titleOf('fig6')} points={0} explanation="Select a run to see its diagnostics.">
                {null}
              </ChartCard>
            </>
          )}
          <SingleMetricChart entries={entries} figureId="sharpness" />
        </div>
        {focus && !hasLinearity(focus.record) && <LinearityHint />}
      </section>
    </>
  );
}
