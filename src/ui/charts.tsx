/** Chart building blocks: a figure with its explanation, and a multi-series line chart over numeric x. */
import { memo, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStaggered } from './stagger';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow } from '../store/compare';
import { bandRange, pointDot, sameAsBefore, seriesValue } from './chart-props';
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

const CHART_MARGIN = { top: 8, right: 12, bottom: 22, left: 8 };
const AUTO_DOMAIN: NonNullable<LineChartProps['yDomain']> = ['auto', 'auto'];
const ACTIVE_DOT = { r: 4 };
const GRID = <CartesianGrid stroke="#e3e6eb" strokeDasharray="3 3" />;

/** `value`, kept as the earlier one while equal in content (see sameAsBefore). */
function useSame<T>(value: T): T {
  const ref = useRef<T>(undefined);
  const same = sameAsBefore(ref.current, value);
  ref.current = same;
  return same;
}

/**
 * Lines over a numeric x axis; series missing at an x are bridged. Never animated, and every tick
 * shown (interval 0): the labels are short, and recharts would otherwise measure each one in the DOM.
 * The chart's parts are memoised elements, so that new rows alone re-render only what reads them.
 */
export const MultiLineChart = memo(function MultiLineChart({
  rows,
  series,
  xLabel,
  yLabel,
  height = 220,
  dots,
  yDomain,
  xInteger,
  valueSuffix = '',
  bands = [],
}: LineChartProps) {
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const r of rows) {
    if (r.x < xMin) xMin = r.x;
    if (r.x > xMax) xMax = r.x;
  }
  if (rows.length === 0) [xMin, xMax] = [0, 1];
  const sameSeries = useSame(series);
  const sameBands = useSame(bands);
  const sameYDomain = useSame(yDomain ?? AUTO_DOMAIN);
  const xAxis = useMemo(
    () => (
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
    ),
    [xMin, xMax, xInteger, xLabel],
  );
  const yAxis = useMemo(
    () => (
      <YAxis
        tick={AXIS_STYLE}
        interval={0}
        width={52}
        domain={sameYDomain}
        tickFormatter={formatTick}
        label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 4, style: { ...AXIS_STYLE, textAnchor: 'middle' } }}
      />
    ),
    [sameYDomain, yLabel],
  );
  const tooltip = useMemo(
    () => (
      <Tooltip
        isAnimationActive={false}
        labelFormatter={(x) => `${xLabel}: ${formatTick(Number(x))}`}
        formatter={(value) => `${formatTick(Number(value))}${valueSuffix}`}
        contentStyle={{ fontSize: 12, borderRadius: 6 }}
      />
    ),
    [xLabel, valueSuffix],
  );
  const areas = useMemo(
    () =>
      sameBands.map((b) => (
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
      )),
    [sameBands],
  );
  const lines = useMemo(
    () =>
      sameSeries.map((s) => (
        <Line
          key={s.key}
          dataKey={seriesValue(s.key)}
          name={s.name}
          type="linear"
          stroke={s.color}
          strokeWidth={s.width ?? 2}
          strokeDasharray={s.dash}
          dot={dots ? pointDot(s.color) : false}
          activeDot={ACTIVE_DOT}
          connectNulls
          isAnimationActive={false}
        />
      )),
    [sameSeries, dots],
  );
  return (
    <div className="chart-box" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={CHART_MARGIN}>
          {GRID}
          {xAxis}
          {yAxis}
          {tooltip}
          {areas}
          {lines}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
