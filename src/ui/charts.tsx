/** Chart building blocks: a figure with its explanation, and a multi-series line chart over numeric x. */
import { memo, useRef, useState, type ReactNode } from 'react';
import { useStaggered } from './stagger';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { seriesField, type ChartRow } from '../store/compare';
import { bandKey } from '../store/groups';
import { saveChartImage, type ImageFormat } from './save-chart';

export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
  /** SVG dash pattern, e.g. "5 3". */
  dash?: string;
  width?: number;
}

export interface LegendItem {
  name: string;
  color: string;
  dash?: string;
}

export function ChartCard({
  title,
  explanation,
  points,
  legend,
  children,
  controls,
  empty = 'Waiting for data…',
  footer,
  onError,
}: {
  empty?: string;
  title: string;
  explanation: ReactNode;
  points: number;
  legend?: LegendItem[];
  children: ReactNode;
  controls?: ReactNode;
  /** A note drawn under a saved image only, e.g. what its colour scale spans. */
  footer?: string;
  /** Receives a failed save's message; without it the card shows the message itself. */
  onError?: (message: string) => void;
}) {
  const body = useStaggered(points === 0 ? null : children);
  const figureRef = useRef<HTMLElement>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canSave = points > 0 && body !== null && !saving;

  const save = async (format: ImageFormat) => {
    const figure = figureRef.current;
    if (!figure) return;
    setSaving(true);
    setError(null);
    try {
      await saveChartImage(figure, { title, legend, footer }, format);
    } catch (e) {
      const message = `Could not save “${title}” as ${format.toUpperCase()}: ${e instanceof Error ? e.message : String(e)}`;
      if (onError) onError(message);
      else setError(message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <figure ref={figureRef} className="chart-card" aria-label={title} data-points={points}>
      <div className="chart-head">
        <h3>{title}</h3>
        {controls}
        <div className="chart-save">
          {(['png', 'svg'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="small"
              aria-label={`Save ${title} as ${format.toUpperCase()}`}
              title={`Save this chart as ${format.toUpperCase()}`}
              disabled={!canSave}
              onClick={() => void save(format)}
            >
              {format.toUpperCase()}
            </button>
          ))}
        </div>
      </div>
      {error && (
        <p role="alert" className="chart-error">
          {error}
        </p>
      )}
      {points === 0 ? <div className="chart-empty">{empty}</div> : (body ?? <div className="chart-box chart-pending" aria-busy="true" />)}
      {legend && legend.length > 0 && points > 0 && <Legend items={legend} />}
      <figcaption>{explanation}</figcaption>
    </figure>
  );
}

export function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="legend">
      {items.map((item) => (
        <li key={`${item.name}-${item.color}-${item.dash ?? ''}`}>
          <svg width="22" height="10" aria-hidden="true">
            <line x1="1" y1="5" x2="21" y2="5" stroke={item.color} strokeWidth="2.5" strokeDasharray={item.dash} />
          </svg>
          {item.name}
        </li>
      ))}
    </ul>
  );
}

const AXIS_STYLE = { fontSize: 11, fill: '#4a5260' };

function formatTick(v: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 100000)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

export interface LineChartProps {
  rows: ChartRow[];
  series: readonly SeriesSpec[];
  xLabel: string;
  yLabel: string;
  height?: number;
  /** Dots on each point (epoch charts have few points). */
  dots?: boolean;
  yDomain?: [number | 'auto' | 'dataMin' | 'dataMax', number | 'auto' | 'dataMin' | 'dataMax'];
  xInteger?: boolean;
  valueSuffix?: string;
  /** Shaded ranges between each key's `key:lo` and `key:hi` values (a seed group's ±1 std). */
  bands?: { key: string; color: string }[];
}

/** A band's [low, high] at a row, or null where the row has none. */
function bandRange(key: string): (row: ChartRow) => [number, number] | null {
  const lo = seriesField(bandKey(key, 'lo'));
  const hi = seriesField(bandKey(key, 'hi'));
  return (row) => (row[lo] == null || row[hi] == null ? null : [row[lo], row[hi]]);
}

/**
 * Lines over a numeric x axis; series missing at an x are bridged. Never animated, and every tick
 * shown (interval 0): the labels are short, and recharts would otherwise measure each one in the DOM.
 */
export const MultiLineChart = memo(function MultiLineChart({ rows, series, xLabel, yLabel, height = 220, dots, yDomain, xInteger, valueSuffix = '', bands = [] }: LineChartProps) {
  const xs = rows.map((r) => r.x);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  return (
    <div className="chart-box" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 22, left: 8 }}>
          <CartesianGrid stroke="#e3e6eb" strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={xMin === xMax ? [xMin - 1, xMax + 1] : [xMin, xMax]}
            allowDecimals={!xInteger}
            tick={AXIS_STYLE}
            interval={0}
            tickFormatter={formatTick}
            label={{ value: xLabel, position: 'insideBottom', offset: -12, style: AXIS_STYLE }}
          />
          <YAxis
            tick={AXIS_STYLE}
            interval={0}
            width={52}
            domain={yDomain ?? ['auto', 'auto']}
            tickFormatter={formatTick}
            label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_STYLE, textAnchor: 'middle' } }}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(x) => `${xLabel}: ${formatTick(Number(x))}`}
            formatter={(value) => `${formatTick(Number(value))}${valueSuffix}`}
            contentStyle={{ fontSize: 12, borderRadius: 6 }}
          />
          {bands.map((b) => (
            <Area
              key={`band-${b.key}`}
              dataKey={bandRange(b.key)}
              name={`${b.key} ±1 std`}
              type="linear"
              stroke="none"
              fill={b.color}
              fillOpacity={0.15}
              connectNulls
              isAnimationActive={false}
              activeDot={false}
              tooltipType="none"
              legendType="none"
            />
          ))}
          {series.map((s) => (
            <Line
              key={s.key}
              // A function, not the field name: recharts reads a string key as a path ("a.b").
              dataKey={(row: ChartRow) => row[seriesField(s.key)]}
              name={s.name}
              type="linear"
              stroke={s.color}
              strokeWidth={s.width ?? 2}
              strokeDasharray={s.dash}
              dot={dots ? { r: 2.5, strokeWidth: 0, fill: s.color } : false}
              activeDot={{ r: 4 }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
