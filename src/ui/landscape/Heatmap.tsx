/** A loss landscape as a heatmap with contour lines, and the colour bar that goes beside a row of them. */
import { memo, useCallback, useId, useMemo } from 'react';
import { colorScale, PALETTE, scalePosition, scaleValue } from './color-scale';
import { contourSegments, segmentsToPath } from './contours';

export interface HeatmapScale {
  min: number;
  max: number;
  log: boolean;
}

/** Space around the plot square: the title above, tick labels and axis names below and left. */
export const HEATMAP_MARGIN = { top: 20, right: 8, bottom: 32, left: 40 } as const;

const TEXT = { fontSize: 10, fill: '#4a5260' } as const;

export function formatScaleTick(v: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 100000)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

/** SVG text does not ellipsize: cut the title to about what fits in `width` pixels. */
function fitText(text: string, width: number, fontSize: number): string {
  const max = Math.max(4, Math.floor(width / (fontSize * 0.58)));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const Heatmap = memo(function Heatmap({
  title,
  coords,
  grid,
  scale,
  levels,
  size,
  xLabel,
  yLabel,
}: {
  title: string;
  coords: number[];
  /** grid[j][i]: the value at (coords[i], coords[j]); row 0 is drawn at the bottom. */
  grid: number[][];
  scale: HeatmapScale;
  levels: number[];
  /** Side of the plot square in pixels. */
  size: number;
  xLabel: string;
  yLabel: string;
}) {
  const m = HEATMAP_MARGIN;
  const n = coords.length;
  const step = n > 1 ? (coords[n - 1] - coords[0]) / (n - 1) : 1;
  // Cells are centred on their coordinates, so the plot reaches half a cell beyond ±span.
  const lo = (coords[0] ?? 0) - step / 2;
  const hi = (coords[n - 1] ?? 0) + step / 2;
  const toX = useCallback((x: number) => m.left + ((x - lo) / (hi - lo)) * size, [m.left, lo, hi, size]);
  const toY = useCallback((y: number) => m.top + size - ((y - lo) / (hi - lo)) * size, [m.top, lo, hi, size]);
  const cell = size / Math.max(1, n);

  const cells = useMemo(() => {
    const color = colorScale(scale.min, scale.max, scale.log);
    const rects = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const v = grid[j]?.[i] ?? NaN;
        rects.push(
          // The extra half pixel hides anti-aliasing seams between neighbours.
          <rect
            key={`${j}-${i}`}
            className="cell"
            x={Math.round((m.left + i * cell) * 100) / 100}
            y={Math.round((m.top + size - (j + 1) * cell) * 100) / 100}
            width={Math.round((cell + 0.5) * 100) / 100}
            height={Math.round((cell + 0.5) * 100) / 100}
            fill={color(v)}
          />,
        );
      }
    }
    return rects;
  }, [grid, n, cell, size, scale.min, scale.max, scale.log, m.left, m.top]);

  const contours = useMemo(
    () =>
      levels.map((level) => {
        const d = segmentsToPath(contourSegments(grid, coords, level), toX, toY);
        // White on the dark end of the palette, black on the bright end.
        const dark = scalePosition(level, scale.min, scale.max, scale.log) < 0.55;
        return { d, stroke: dark ? '#ffffff' : '#000000', opacity: dark ? 0.75 : 0.55 };
      }),
    [grid, coords, levels, toX, toY, scale.min, scale.max, scale.log],
  );

  const span = Math.max(Math.abs(coords[0] ?? 0), Math.abs(coords[n - 1] ?? 0));
  const ticks = span > 0 ? [-span, 0, span] : [0];
  const width = m.left + size + m.right;
  const height = m.top + size + m.bottom;
  const bottom = m.top + size;
  return (
    <svg
      data-exportable="true"
      role="img"
      aria-label={title}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="heatmap"
    >
      <title>{title}</title>
      <text x={m.left} y={13} fontSize={11} fontWeight={600} fill="#1d232b">
        {fitText(title, size + m.right, 11)}
      </text>
      <g shapeRendering="crispEdges">{cells}</g>
      {contours.map((c, k) =>
        c.d ? <path key={k} d={c.d} fill="none" stroke={c.stroke} strokeOpacity={c.opacity} strokeWidth={0.8} /> : null,
      )}
      <rect x={m.left} y={m.top} width={size} height={size} fill="none" stroke="#8a919c" strokeWidth={0.8} />
      {ticks.map((t) => (
        <g key={`x${t}`}>
          <line x1={toX(t)} x2={toX(t)} y1={bottom} y2={bottom + 4} stroke="#8a919c" />
          <text x={toX(t)} y={bottom + 14} textAnchor="middle" {...TEXT}>
            {formatScaleTick(t)}
          </text>
        </g>
      ))}
      {ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={m.left - 4} x2={m.left} y1={toY(t)} y2={toY(t)} stroke="#8a919c" />
          <text x={m.left - 6} y={toY(t) + 3.5} textAnchor="end" {...TEXT}>
            {formatScaleTick(t)}
          </text>
        </g>
      ))}
      <text x={m.left + size / 2} y={bottom + 27} textAnchor="middle" {...TEXT}>
        {xLabel}
      </text>
      <text x={10} y={m.top + size / 2} textAnchor="middle" transform={`rotate(-90 10 ${m.top + size / 2})`} {...TEXT}>
        {yLabel}
      </text>
      {lo <= 0 && hi >= 0 && <circle cx={toX(0)} cy={toY(0)} r={3} fill="#ffffff" stroke="#000000" strokeWidth={1.2} />}
    </svg>
  );
});

/** A vertical colour bar for `size`-pixel heatmaps, aligned with their plot squares, with 5 labelled ticks. */
export const ColorBar = memo(function ColorBar({
  min,
  max,
  log,
  size = 260,
  label = 'loss',
}: {
  min: number;
  max: number;
  log: boolean;
  size?: number;
  label?: string;
}) {
  const m = HEATMAP_MARGIN;
  const gradientId = `colorbar-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const barWidth = 14;
  const width = barWidth + 58;
  const height = m.top + size + m.bottom;
  const positions = max > min ? [0, 0.25, 0.5, 0.75, 1] : [0];
  return (
    <svg
      data-exportable="true"
      role="img"
      aria-label={`Colour scale: ${label} from ${formatScaleTick(min)} to ${formatScaleTick(max)}${log ? ', logarithmic' : ''}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="colorbar"
    >
      <defs>
        <linearGradient id={gradientId} x1="0" y1="1" x2="0" y2="0">
          {PALETTE.map((c, k) => (
            <stop key={c} offset={k / (PALETTE.length - 1)} stopColor={c} />
          ))}
        </linearGradient>
      </defs>
      <text x={0} y={13} fontSize={11} fontWeight={600} fill="#1d232b">
        {label}
      </text>
      <rect x={0} y={m.top} width={barWidth} height={size} fill={`url(#${gradientId})`} stroke="#8a919c" strokeWidth={0.8} />
      {positions.map((t) => {
        const y = m.top + size - t * size;
        return (
          <g key={t}>
            <line x1={barWidth} x2={barWidth + 4} y1={y} y2={y} stroke="#8a919c" />
            <text x={barWidth + 6} y={y + 3.5} {...TEXT}>
              {formatScaleTick(scaleValue(t, min, max, log))}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
