/** The paper's Fig. 3 axes: final test accuracy against training time per epoch, as dots (optionally connected). */
import { CartesianGrid, LabelList, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import { FIG3_AXES } from '../store/figures';

const AXIS_STYLE = { fontSize: 11, fill: '#4a5260' };

export interface Fig3Dot {
  /** Seconds per epoch. */
  x: number;
  /** Test accuracy in percent. */
  y: number;
  /** Drawn beside the dot (a sweep's β or γ). */
  label?: string;
}

export interface Fig3Series {
  key: string;
  name: string;
  color: string;
  dots: Fig3Dot[];
  /** Connects the dots in order (a sweep). */
  line?: boolean;
  shape?: 'circle' | 'square' | 'diamond' | 'triangle';
}

/** A dot from seconds per epoch and an accuracy fraction, rounded for the tooltip. */
export function fig3Dot(secondsPerEpoch: number, testAcc: number, label?: string): Fig3Dot {
  return { x: Number(secondsPerEpoch.toFixed(3)), y: Number((testAcc * 100).toFixed(2)), ...(label === undefined ? {} : { label }) };
}

export function Fig3Chart({ series, height, xFromZero }: { series: Fig3Series[]; height: number; xFromZero: boolean }) {
  return (
    <div className="chart-box" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 14, right: 20, bottom: 22, left: 8 }}>
          <CartesianGrid stroke="#e3e6eb" strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            name="time per epoch"
            unit=" s"
            domain={xFromZero ? [0, (max: number) => Number((max * 1.15).toPrecision(2))] : ['auto', 'auto']}
            tick={AXIS_STYLE}
            interval={0}
            label={{ value: FIG3_AXES.x, position: 'insideBottom', offset: -12, style: AXIS_STYLE }}
          />
          <YAxis
            type="number"
            dataKey="y"
            name="final test accuracy"
            width={60}
            tickFormatter={(v: number) => v.toFixed(1)}
            domain={['auto', 'auto']}
            tick={AXIS_STYLE}
            interval={0}
            label={{ value: FIG3_AXES.y, angle: -90, position: 'insideLeft', offset: 0, style: { ...AXIS_STYLE, textAnchor: 'middle' } }}
          />
          <ZAxis range={[80, 80]} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ strokeDasharray: '3 3' }}
            formatter={(value, name) => [typeof value === 'number' ? value.toFixed(2) : String(value), name]}
            contentStyle={{ fontSize: 12, borderRadius: 6 }}
          />
          {series.map((s) => (
            <Scatter
              key={s.key}
              name={s.name}
              data={s.dots}
              fill={s.color}
              shape={s.shape ?? 'circle'}
              line={s.line ? { stroke: s.color, strokeWidth: 2 } : false}
              isAnimationActive={false}
            >
              {s.dots.some((d) => d.label) && <LabelList dataKey="label" position="top" style={{ fontSize: 10, fill: s.color }} />}
            </Scatter>
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
