/** Where the time goes: each selected run's milliseconds per step by phase, stacked, and its cost relative to SGD. */
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { PHASE_LABELS, STEP_PHASES } from '../engine/optimizer/phases';
import type { RunEntry } from '../store/runs';
import { ChartCard } from './charts';
import { costRows } from './cost-rows';

const AXIS_STYLE = { fontSize: 11, fill: '#4a5260' };
const PHASE_COLORS: Record<(typeof STEP_PHASES)[number], string> = {
  ascentForwardBackward: '#d95f02',
  ranking: '#7570b3',
  descentForwardBackward: '#1b9e77',
  update: '#8a8f98',
};

export const CostMeter = memo(function CostMeter({ entries }: { entries: RunEntry[] }) {
  const rows = useMemo(() => costRows(entries.map((e) => e.record)), [entries]);
  const data = rows.map((r) => ({ name: r.name, ...r.phases }));
  const shown = STEP_PHASES.filter((p) => rows.some((r) => r.phases[p] !== undefined));
  return (
    <ChartCard
      title="Where the time goes — ms per step by phase"
      points={rows.length}
      empty="No selected run has phase times (runs trained before the cost meter, or imported without them)."
      legend={shown.map((p) => ({ name: PHASE_LABELS[p], color: PHASE_COLORS[p] }))}
      explanation={
        <>
          Each run’s last epoch: the mean over a few steps timed with the device synchronised between phases — the ascent pass, SDS’s ranking forward, the
          descent pass and the update. SAM pays for a second forward and backward; ESAM’s SWP trims the ascent pass and SDS the descent pass. This is the
          paper’s efficiency claim on your own device.
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
          <XAxis type="number" tick={AXIS_STYLE} label={{ value: 'ms per step', position: 'insideBottom', offset: -8, style: AXIS_STYLE }} />
          <YAxis type="category" dataKey="name" width={160} tick={AXIS_STYLE} interval={0} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(2)} ms` : String(v))} />
          {shown.map((p) => (
            <Bar key={p} dataKey={p} name={PHASE_LABELS[p]} stackId="phases" fill={PHASE_COLORS[p]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
});
