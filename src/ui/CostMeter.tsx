/** Where the time goes: each selected run's milliseconds per step by phase, stacked, and its cost relative to SGD. */
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { figure, titleOf } from '../store/figures';
import type { RunEntry } from '../store/runs';
import { ChartCard } from './charts';
import { costRows } from './cost-rows';

const AXIS_STYLE = { fontSize: 11, fill: '#4a5260' };

export const CostMeter = memo(function CostMeter({ entries }: { entries: RunEntry[] }) {
  const fig = figure('costMeter');
  const rows = useMemo(() => costRows(entries.map((e) => e.record)), [entries]);
  const data = rows.map((r) => ({ name: r.name, ...r.byKey }));
  const shown = fig.series.filter((s) => rows.some((r) => r.byKey[s.key as keyof typeof r.byKey] !== undefined));
  return (
    <ChartCard
      title={titleOf('costMeter')}
      points={rows.length}
      empty="No selected run has phase times (runs trained before the cost meter, or imported without them)."
      legend={shown.map((s) => ({ name: s.name, color: s.color ?? '#888' }))}
      explanation={
        <>
          {fig.explanation}
          <ul className="cost-relative">
            {rows.map((r) => (
              <li key={r.id}>
                {r.name}: {r.totalMs.toFixed(1)} ms per step,{' '}
                {r.relativeToSgd === null ? 'no SGD run to compare with' : `${r.relativeToSgd.toFixed(2)}× the cost of “${r.sgdName}”`}
              </li>
            ))}
          </ul>
        </>
      }
    >
      <ResponsiveContainer width="100%" height={Math.max(120, 48 * rows.length + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis
            type="number"
            tick={AXIS_STYLE}
            label={{ value: fig.xLabel ?? '', position: 'insideBottom', offset: -8, style: AXIS_STYLE }}
          />
          <YAxis type="category" dataKey="name" width={160} tick={AXIS_STYLE} interval={0} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(2)} ms` : String(v))} />
          {shown.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="phases" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
});
