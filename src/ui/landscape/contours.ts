/** Contour lines of a loss grid by marching squares, and the levels they are drawn at. */

/** A line piece x1, y1, x2, y2 in coordinate units. */
export type Segment = [number, number, number, number];

/**
 * `count` levels strictly inside (min, max), evenly spaced — geometrically when `log` and min > 0,
 * so that the contours of a loss spanning decades do not all crowd at the top.
 */
export function contourLevels(min: number, max: number, count: number, log: boolean): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min) || !(count >= 1)) return [];
  const n = Math.floor(count);
  const geometric = log && min > 0;
  const lo = geometric ? Math.log(min) : min;
  const hi = geometric ? Math.log(max) : max;
  const levels: number[] = [];
  for (let k = 1; k <= n; k++) {
    const v = lo + ((hi - lo) * k) / (n + 1);
    levels.push(geometric ? Math.exp(v) : v);
  }
  return levels;
}

interface Corner {
  x: number;
  y: number;
  v: number;
}

/** Where the level crosses the edge a–b, or null when both ends lie on the same side. */
function crossing(a: Corner, b: Corner, level: number): [number, number] | null {
  if (a.v > level === b.v > level) return null;
  const t = (level - a.v) / (b.v - a.v);
  return [a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)];
}

/**
 * Segments of the contour at `level`; grid[j][i] is the value at (coords[i], coords[j]).
 * Cells with a non-finite corner are skipped. A value equal to the level counts as below it.
 */
export function contourSegments(grid: number[][], coords: number[], level: number): Segment[] {
  const segments: Segment[] = [];
  if (!Number.isFinite(level)) return segments;
  const n = coords.length;
  for (let j = 0; j + 1 < Math.min(n, grid.length); j++) {
    const row0 = grid[j];
    const row1 = grid[j + 1];
    for (let i = 0; i + 1 < n; i++) {
      // Corners counter-clockwise from bottom-left; edge e joins corner e and corner e+1.
      const c: Corner[] = [
        { x: coords[i], y: coords[j], v: row0[i] },
        { x: coords[i + 1], y: coords[j], v: row0[i + 1] },
        { x: coords[i + 1], y: coords[j + 1], v: row1[i + 1] },
        { x: coords[i], y: coords[j + 1], v: row1[i] },
      ];
      if (!c.every((p) => Number.isFinite(p.v))) continue;
      const edges = [0, 1, 2, 3].map((e) => crossing(c[e], c[(e + 1) % 4], level));
      const crossed = edges.flatMap((p, e) => (p ? [e] : []));
      if (crossed.length === 2) {
        const [p, q] = [edges[crossed[0]]!, edges[crossed[1]]!];
        segments.push([p[0], p[1], q[0], q[1]]);
      } else if (crossed.length === 4) {
        // Saddle: the centre's side decides which pair of opposite corners is joined; the other two are cut off.
        const centreAbove = (c[0].v + c[1].v + c[2].v + c[3].v) / 4 > level;
        for (let k = 0; k < 4; k++) {
          if (c[k].v > level === centreAbove) continue;
          // Corner k touches edge k-1 (arriving) and edge k (leaving).
          const p = edges[(k + 3) % 4]!;
          const q = edges[k]!;
          segments.push([p[0], p[1], q[0], q[1]]);
        }
      }
    }
  }
  return segments;
}

function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** An SVG path `d` drawing each segment, mapped to pixels by toX and toY. */
export function segmentsToPath(segments: Segment[], toX: (x: number) => number, toY: (y: number) => number): string {
  return segments.map(([x1, y1, x2, y2]) => `M${num(toX(x1))} ${num(toY(y1))}L${num(toX(x2))} ${num(toY(y2))}`).join('');
}
