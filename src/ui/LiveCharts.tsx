/** Live charts of the selected runs, updated as epochs arrive, and the paper's Fig. 5 and 6 diagnostics. */
import { memo, useMemo } from 'react';
import type { OptionalEpochKey, RunRecord } from '../engine/run-record';
import { downsample, mergeRows, metricPoints, type MetricKey, type Point } from '../store/compare';
import { chartSubjects, isGroup, subjectPoints, type ChartSubject } from '../store/groups';
import type { RunEntry } from '../store/runs';
import { ChartCard, MultiLineChart, type LegendItem, type SeriesSpec } from './charts';
import { useApp, useAppShallow, useAppState, useSelectedEntries, useThrottled } from './context';
import { RunPicker } from './fields';
import { FlippedChart, hasFlippedShares, SdsGallery } from './SdsGallery';

const TRAIN_DASH = '5 4';
const NO_LOSSES: number[] = [];


function runLegend(entries: RunEntry[], extra: LegendItem[] = []): LegendItem[] {
  return [...entries.map((e) => ({ name: e.record.name, color: e.color })), ...extra];
}

function subjectLegend(subjects: ChartSubject[], extra: LegendItem[] = []): LegendItem[] {
  return [...subjects.map((s) => ({ name: isGroup(s) ? `${s.name} (mean ± std)` : s.name, color: s.color })), ...extra];
}

function pointsOf(subjects: ChartSubject[], metrics: { key: MetricKey; suffix: string }[]): Point[] {
  return subjects.flatMap((s) => metrics.flatMap((m) => subjectPoints(s, m.key, 'epoch', `${s.id}:${m.suffix}`)));
}

const TrainTestChart = memo(function TrainTestChart({ entries, kind }: { entries: RunEntry[]; kind: 'loss' | 'acc' }) {
  const metrics = kind === 'loss'
    ? [{ key: 'trainLoss' as const, suffix: 'train' }, { key: 'testLoss' as const, suffix: 'test' }]
    : [{ key: 'trainAcc' as const, suffix: 'train' }, { key: 'testAcc' as const, suffix: 'test' }];
  const subjects = useMemo(() => chartSubjects(entries), [entries]);
  const rows = useMemo(() => mergeRows(pointsOf(subjects, metrics)), [subjects, kind]);
  const series: SeriesSpec[] = subjects.flatMap((s) => [
    { key: `${s.id}:test`, name: `${s.name} — test`, color: s.color },
    { key: `${s.id}:train`, name: `${s.name} — train`, color: s.color, dash: TRAIN_DASH, width: 1.5 },
  ]);
  const bands = subjects.filter(isGroup).map((s) => ({ key: `${s.id}:test`, color: s.color }));
  const legend = subjectLegend(subjects, [
    { name: 'test (solid)', color: '#4a5260' },
    { name: 'train (dashed)', color: '#4a5260', dash: TRAIN_DASH },
  ]);
  return (
    <ChartCard
      title={kind === 'loss' ? 'Loss' : 'Accuracy'}
      points={rows.length}
      legend={legend}
      explanation={
        kind === 'loss'
          ? 'Mean cross-entropy per epoch on the training images (during the epoch) and on the test images (after it). A gap that widens is overfitting.'
          : 'Share of images classified correctly. SAM and ESAM aim at flatter minima, which the paper finds generalise better: a higher test accuracy for the same training accuracy.'
      }
    >
      <MultiLineChart
        rows={rows}
        series={series}
        dots
        xInteger
        xLabel="epoch"
        yLabel={kind === 'loss' ? 'cross-entropy (nats)' : 'accuracy (%)'}
        valueSuffix={kind === 'acc' ? '%' : ''}
        yDomain={kind === 'acc' ? [0, 100] : undefined}
        bands={bands}
      />
    </ChartCard>
  );
});

const StepLossChart = memo(function StepLossChart({ entries }: { entries: RunEntry[] }) {
  const ids = entries.map((e) => e.record.id);
  const liveLosses = useAppShallow((s) => ids.map((id) => s.stepLosses[id] ?? NO_LOSSES));
  // Step losses arrive several times a second: redraw at most twice a second.
  const losses = useThrottled(liveLosses, 500);
  const rows = useMemo(
    () => mergeRows(losses.flatMap((l, i) => downsample(l, 400).map((p) => ({ series: ids[i], x: p.x, y: p.y })))),
    [losses],
  );
  const series = entries.map((e) => ({ key: e.record.id, name: e.record.name, color: e.color, width: 1.5 }));
  return (
    <ChartCard
      title="Training loss per step"
      points={rows.length}
      legend={runLegend(entries)}
      empty={entries.length > 0 && entries.every((e) => e.phase === 'finished') ? 'Per-step losses are kept only for runs trained in this browser.' : undefined}
      explanation="Mean loss of each training batch at θ, before its update (long runs are averaged into at most 400 points). It shows progress within an epoch and instabilities that epoch means hide."
    >
      <MultiLineChart rows={rows} series={series} xLabel="training step" yLabel="batch loss (nats)" xInteger />
    </ChartCard>
  );
});

const SingleMetricChart = memo(function SingleMetricChart({
  entries,
  metric,
  title,
  yLabel,
  explanation,
}: {
  entries: RunEntry[];
  metric: MetricKey;
  title: string;
  yLabel: string;
  explanation: string;
}) {
  const subjects = useMemo(() => chartSubjects(entries), [entries]);
  const rows = useMemo(() => mergeRows(subjects.flatMap((s) => subjectPoints(s, metric, 'epoch', s.id))), [subjects, metric]);
  const series = subjects.map((s) => ({ key: s.id, name: s.name, color: s.color }));
  const bands = subjects.filter(isGroup).map((s) => ({ key: s.id, color: s.color }));
  return (
    <ChartCard title={title} points={rows.length} legend={subjectLegend(subjects)} explanation={explanation}>
      <MultiLineChart rows={rows} series={series} xLabel="epoch" yLabel={yLabel} dots xInteger bands={bands} />
    </ChartCard>
  );
});

const FIG5: SeriesSpec[] = [
  { key: 'lossBPlusPerturbed', name: 'B+ at θ+ε', color: '#c0392b' },
  { key: 'lossBPlus', name: 'B+ at θ', color: '#c0392b', dash: TRAIN_DASH },
  { key: 'lossBMinusPerturbed', name: 'B− at θ+ε', color: '#1f5fae' },
  { key: 'lossBMinus', name: 'B− at θ', color: '#1f5fae', dash: TRAIN_DASH },
];

const FIG6: SeriesSpec[] = [
  { key: 'cosBPlus', name: 'B+ (selected by SDS)', color: '#c0392b' },
  { key: 'cosBMinus', name: 'B− (the rest)', color: '#1f5fae' },
  { key: 'cosRandom', name: 'random subset R', color: '#7a7f87', dash: TRAIN_DASH },
];

function DiagnosticsChart({ entry, fig }: { entry: RunEntry; fig: 5 | 6 }) {
  const specs = fig === 5 ? FIG5 : FIG6;
  const rows = useMemo(
    () => mergeRows(specs.flatMap((s) => metricPoints(entry.record, s.key as MetricKey, 'epoch', s.key))),
    [entry.record, specs],
  );
  return (
    <ChartCard
      title={fig === 5 ? 'Fig. 5 — losses of B+ and B− at θ and θ+ε' : 'Fig. 6 — gradient similarity at θ+ε'}
      points={rows.length}
      legend={specs.map((s) => ({ name: s.name, color: s.color, dash: s.dash }))}
      explanation={
        fig === 5
          ? 'Mean loss of the probe batch’s B+ (the samples whose loss rises most under the SAM perturbation ε) and B− (the rest), before and after ε. The paper finds B+’s loss rises far more than B−’s: B+ carries the sharpness, so SDS can drop B−.'
          : 'Cosine similarity of the gradient at θ+ε over B+, B− and a random subset R of the same size, with the whole batch’s. The paper finds B+’s gradient stays closest to the whole batch’s, closer than B−’s or a random subset’s: B+ stands in for the batch.'
      }
    >
      <MultiLineChart rows={rows} series={specs} xLabel="epoch" yLabel={fig === 5 ? 'cross-entropy (nats)' : 'cosine similarity'} dots xInteger />
    </ChartCard>
  );
}

const LINEARITY_TITLE = 'Linearity ζ (appendix A.3)';

const LINEARITY: (SeriesSpec & { key: OptionalEpochKey })[] = [
  { key: 'linearity', name: 'B (whole batch)', color: '#4a5260' },
  { key: 'linearityBPlus', name: 'B+ (selected by SDS)', color: '#c0392b' },
  { key: 'linearityBMinus', name: 'B− (the rest)', color: '#1f5fae' },
];

/** ζ per epoch of a run, one series per subset; epochs without the keys give no point. */
function linearityPoints(record: RunRecord): Point[] {
  return record.epochs.flatMap((e) =>
    LINEARITY.flatMap((s) => {
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
      {LINEARITY_TITLE} is not measured for this run: turn on “Linearity ζ (extra diagnostic)” in the optimizer settings (<code>linearity=1</code> in the
      address, <code>--linearity</code> on the CLI) to add it.
    </p>
  );
}

/** The focused run's ζ for B, B+ and B− per epoch. */
function LinearityChart({ entry }: { entry: RunEntry }) {
  const rows = useMemo(() => mergeRows(linearityPoints(entry.record)), [entry.record]);
  return (
    <ChartCard
      title={LINEARITY_TITLE}
      points={rows.length}
      legend={LINEARITY.map((s) => ({ name: s.name, color: s.color }))}
      explanation="ζ(ε, S) = |L_S(θ+ε) − L_S(θ) − εᵀ∇L_S(θ)|: how far the loss of S = B, B+ or B− is from its first-order Taylor expansion along the run’s own perturbation ε (SWP’s masked, 1/β-scaled one for ESAM-SWP; SAM’s otherwise). SAM’s ε solves the inner maximization only if the loss is linear there, so a smaller ζ means a better ε; the paper’s Fig. 7 finds ζ for B falls as β falls."
    >
      <MultiLineChart rows={rows} series={LINEARITY} xLabel="epoch" yLabel="ζ (nats)" dots xInteger />
    </ChartCard>
  );
}

function FocusPicker({ entries, focus }: { entries: RunEntry[]; focus: RunEntry | null }) {
  const app = useApp();
  if (entries.length === 0) return null;
  return <RunPicker label="Diagnostics of" entries={entries} value={focus?.record.id ?? ''} onChange={(id) => app.setFocus(id)} />;
}

export function LiveCharts() {
  const entries = useSelectedEntries();
  const focusId = useAppState((s) => s.focusId);
  const focus = entries.find((e) => e.record.id === focusId) ?? entries[entries.length - 1] ?? null;
  return (
    <>
      <section className="card" aria-labelledby="charts-heading">
        <div className="card-head">
          <h2 id="charts-heading">Training curves</h2>
          <p className="hint">{entries.length ? `${entries.length} selected run${entries.length > 1 ? 's' : ''}` : 'Select runs in the list to draw them.'}</p>
        </div>
        <div className="chart-grid">
          <TrainTestChart entries={entries} kind="loss" />
          <TrainTestChart entries={entries} kind="acc" />
          <StepLossChart entries={entries} />
          <SingleMetricChart
            entries={entries}
            metric="imagesPerSec"
            title="Throughput"
            yLabel="training images / s"
            explanation="Training images per second in each epoch (steps only; evaluation and diagnostics excluded). The first epoch includes warm-up. The paper reports ESAM at about 1.4× SAM’s throughput."
          />
        </div>
      </section>
      <section className="card" aria-labelledby="diagnostics-heading">
        <div className="card-head">
          <h2 id="diagnostics-heading">Sharpness diagnostics</h2>
          <FocusPicker entries={entries} focus={focus} />
        </div>
        <p className="hint">
          Measured after every epoch on one fixed probe batch, for every optimizer (SGD too), with ε = ρ·∇L/‖∇L‖ and B+ = the ⌊γ·|B|⌋ samples whose loss rises most (γ of
          the run, or 0.5 without SDS).
        </p>
        <div className="chart-grid">
          {focus ? (
            <>
              <DiagnosticsChart entry={focus} fig={5} />
              <DiagnosticsChart entry={focus} fig={6} />
              {hasLinearity(focus.record) && <LinearityChart entry={focus} />}
              <SdsGallery entry={focus} />
              {hasFlippedShares(focus) && <FlippedChart entry={focus} />}
            </>
          ) : (
            <>
              <ChartCard title="Fig. 5 — losses of B+ and B− at θ and θ+ε" points={0} explanation="Select a run to see its diagnostics.">
                {null}
              </ChartCard>
              <ChartCard title="Fig. 6 — gradient similarity at θ+ε" points={0} explanation="Select a run to see its diagnostics.">
                {null}
              </ChartCard>
            </>
          )}
          <SingleMetricChart
            entries={entries}
            metric="sharpness"
            title="Sharpness"
            yLabel="L(θ+ε) − L(θ) (nats)"
            explanation="How much the probe batch’s loss rises when the weights move by ε within the ρ-ball: the quantity SAM minimises. Flatter minima give smaller values."
          />
        </div>
        {focus && !hasLinearity(focus.record) && <LinearityHint />}
      </section>
    </>
  );
}
