/** Comparison of the selected runs: any metric overlaid by epoch or time, a summary table (Table 3), and Fig. 3. */
import { memo, useMemo } from 'react';
import {
  formatDuration,
  formatNumber,
  formatPercentStd,
  formatSpeedup,
  mergeRows,
  metricDef,
  METRICS,
  secondsPerEpoch,
  subjectSummaryRows,
  type MetricKey,
  type XAxisKind,
} from '../store/compare';
import { figure, titleOf } from '../store/figures';
import { chartSubjects, isGroup, subjectPoints, subjectRecords, type ChartSubject } from '../store/groups';
import type { RunEntry } from '../store/runs';
import { statusWords } from '../store/runs';
import { baselineAmong } from '../store/selectors';
import { ChartCard, MultiLineChart } from './charts';
import { useApp, useAppState, useSelectedEntries } from './context';
import { CostMeter } from './CostMeter';
import { fig3Dot, Fig3Chart } from './Fig3Chart';
import { RunPicker } from './fields';

const Overlay = memo(function Overlay({ entries, metric, xAxis }: { entries: RunEntry[]; metric: MetricKey; xAxis: XAxisKind }) {
  const app = useApp();
  const def = metricDef(metric);
  const fig = figure(xAxis === 'epoch' ? 'compareByEpoch' : 'compareByTime');
  const subjects = useMemo(() => chartSubjects(entries), [entries]);
  const rows = useMemo(() => mergeRows(subjects.flatMap((s) => subjectPoints(s, metric, xAxis, s.id))), [subjects, metric, xAxis]);
  const series = subjects.map((s) => ({ key: s.id, name: s.name, color: s.color }));
  const bands = subjects.filter(isGroup).map((s) => ({ key: s.id, color: s.color }));
  return (
    <ChartCard
      title={titleOf(fig.id, { metric: def.label })}
      points={rows.length}
      legend={subjects.map((s) => ({ name: isGroup(s) ? `${s.name} (mean ± std)` : s.name, color: s.color }))}
      controls={
        <div className="chart-controls">
          <label className="inline-select">
            <span className="label-text">Metric</span>
            <select value={metric} onChange={(e) => app.setCompare({ metric: e.target.value as MetricKey })}>
              {METRICS.map((m) => (
                <option key={m.key} value={m.key}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <div className="segmented small" role="radiogroup" aria-label="Horizontal axis">
            {(['epoch', 'time'] as const).map((x) => (
              <label key={x} className={xAxis === x ? 'on' : ''}>
                <input type="radio" name="compare-x" value={x} checked={xAxis === x} onChange={() => app.setCompare({ xAxis: x })} />
                <span>{x === 'epoch' ? 'by epoch' : 'by time'}</span>
              </label>
            ))}
          </div>
        </div>
      }
      explanation={fig.explanation}
    >
      <MultiLineChart
        rows={rows}
        series={series}
        dots
        xInteger={xAxis === 'epoch'}
        xLabel={fig.xLabel}
        yLabel={def.axis}
        valueSuffix={def.percent ? '%' : ''}
        bands={bands}
      />
    </ChartCard>
  );
});

const Fig3 = memo(function Fig3({ entries }: { entries: RunEntry[] }) {
  const points = entries
    .map((e) => ({ e, x: secondsPerEpoch(e.record), y: e.record.summary.finalTestAcc }))
    .filter((p): p is { e: RunEntry; x: number; y: number } => p.x !== null && p.y !== null);
  return (
    <ChartCard
      title={titleOf('compareFig3')}
      points={points.length}
      legend={points.map((p) => ({ name: p.e.record.name, color: p.e.color }))}
      explanation={figure('compareFig3').explanation}
    >
      <Fig3Chart
        height={240}
        xFromZero
        series={points.map((p) => ({ key: p.e.record.id, name: p.e.record.name, color: p.e.color, dots: [fig3Dot(p.x, p.y)] }))}
      />
    </ChartCard>
  );
});

function SummaryTable({ entries, baselineId }: { entries: RunEntry[]; baselineId: string | null }) {
  const app = useApp();
  const subjects = chartSubjects(entries);
  const rows = subjectSummaryRows(
    subjects.map((s) => ({ id: s.id, name: s.name, records: subjectRecords(s) })),
    baselineId,
  );
  const baseline = entries.find((e) => e.record.id === baselineId);
  const baseName = baseline?.record.name ?? '';
  return (
    <div className="table-wrap">
      <div className="table-head">
        <RunPicker label="Speed relative to" entries={entries} value={baselineId ?? ''} onChange={(id) => app.setBaseline(id || null)} />
      </div>
      <table className="summary-table">
        <caption className="visually-hidden">Summary of the selected runs</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Method</th>
            <th scope="col">Epochs</th>
            <th scope="col" className="num">
              Final test acc.
            </th>
            <th scope="col" className="num">
              Best test acc.
            </th>
            <th scope="col" className="num">
              vs SGD
            </th>
            <th scope="col" className="num">
              Images/s
            </th>
            <th scope="col" className="num">
              Speed
            </th>
            <th scope="col" className="num">
              Time/epoch
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.id} data-seeds={r.seeds}>
              <th scope="row">
                <span className="swatch" style={{ background: subjects[i].color }} aria-hidden="true" />
                {r.name}
              </th>
              <td className="method">{r.method}</td>
              <td>
                {r.epochs}/{subjects[i].entries[0].record.config.epochs}
                {subjectStatus(subjects[i]) !== 'completed' && (
                  <>
                    {' '}
                    <span className={`status status-${subjectStatus(subjects[i])}`}>{subjectStatus(subjects[i])}</span>
                  </>
                )}
              </td>
              <td className="num">{formatPercentStd(r.finalTestAcc, r.finalTestAccStd, 2)}</td>
              <td className="num">{formatPercentStd(r.bestTestAcc, r.bestTestAccStd, 2)}</td>
              <td className={`num ${r.accVsSgd === null ? '' : r.accVsSgd >= 0 ? 'up' : 'down'}`}>
                {r.accVsSgd === null ? '—' : `${r.accVsSgd >= 0 ? '+' : '−'}${Math.abs(r.accVsSgd * 100).toFixed(2)}`}
              </td>
              <td className="num">{formatNumber(r.imagesPerSec, 1)}</td>
              <td
                className={`num speed ${r.speedup === null || r.id === baselineId ? '' : r.speedup >= 1 ? 'up' : 'down'}`}
                title={r.speedup === null ? undefined : `${r.speedup.toFixed(3)} times the images per second of “${baseName}”`}
              >
                {formatSpeedup(r.speedup, baseName)}
              </td>
              <td className="num">
                {r.secondsPerEpoch === null
                  ? '—'
                  : r.secondsPerEpoch < 60
                    ? `${r.secondsPerEpoch.toFixed(2)} s`
                    : formatDuration(r.secondsPerEpoch)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Images/s and time per epoch count training steps only and leave out the first epoch (warm-up) when there are more. “vs SGD” is the
        difference in final test accuracy, in points, from the SGD run in the table — as in the paper’s Table 3. A seed group is one row:
        the mean over its selected runs, ± the sample standard deviation of the accuracies.
      </p>
    </div>
  );
}

/** A group's status: the first of its runs' that is not completed, else completed. */
function subjectStatus(subject: ChartSubject): string {
  return subject.entries.map(statusWords).find((w) => w !== 'completed') ?? 'completed';
}

export function ComparePanel() {
  const entries = useSelectedEntries();
  const compare = useAppState((s) => s.compare);
  const ablation = useAppState((s) => s.ablation);
  const baselineId = useAppState((s) =>
    baselineAmong(
      s,
      entries.map((e) => e.record),
    ),
  );
  const isAblation = ablation !== null && ablation.length > 0 && ablation.every((id) => entries.some((e) => e.record.id === id));
  const ablationDone = isAblation && ablation.every((id) => entries.find((e) => e.record.id === id)?.phase === 'finished');
  return (
    <section className="card" aria-labelledby="compare-heading">
      <div className="card-head">
        <h2 id="compare-heading">Compare</h2>
        <p className="hint">
          {entries.length} selected run{entries.length === 1 ? '' : 's'}
        </p>
      </div>
      {isAblation && (
        <p className="ablation-banner">
          {ablationDone
            ? 'The ablation is done: the table below is the paper’s Table 3 for your setup (same data, model and seed).'
            : 'The ablation is running: SGD, SAM, ESAM-SWP, ESAM-SDS and ESAM train one after another; the table fills in as they finish.'}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="hint">Select two or more runs in the list to compare them.</p>
      ) : (
        <>
          <SummaryTable entries={entries} baselineId={baselineId} />
          <div className="chart-grid">
            <Overlay entries={entries} metric={compare.metric} xAxis={compare.xAxis} />
            <Fig3 entries={entries} />
            <CostMeter entries={entries} />
          </div>
        </>
      )}
    </section>
  );
}
