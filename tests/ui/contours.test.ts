import { describe, expect, it } from 'vitest';
import { contourLevels, contourSegments, segmentsToPath } from '../../src/ui/landscape/contours';

function bowl(n: number, span: number): { coords: number[]; grid: number[][] } {
  const coords = Array.from({ length: n }, (_, i) => -span + (2 * span * i) / (n - 1));
  return { coords, grid: coords.map((y) => coords.map((x) => x * x + y * y)) };
}

describe('contour levels', () => {
  it('spaces levels evenly, strictly inside the range', () => {
    const levels = contourLevels(0, 10, 4, false);
    expect(levels).toHaveLength(4);
    levels.forEach((l, k) => expect(l).toBeCloseTo(2 * (k + 1), 12));
    expect(Math.min(...levels)).toBeGreaterThan(0);
    expect(Math.max(...levels)).toBeLessThan(10);
  });

  it('spaces log levels geometrically', () => {
    const levels = contourLevels(0.01, 100, 3, true);
    expect(levels.map((l) => Math.log10(l))).toEqual([expect.closeTo(-1, 10), expect.closeTo(0, 10), expect.closeTo(1, 10)]);
    const ratios = levels.slice(1).map((l, k) => l / levels[k]);
    ratios.forEach((r) => expect(r).toBeCloseTo(10, 8));
  });

  it('falls back to linear spacing when min ≤ 0, and gives none for an empty range', () => {
    expect(contourLevels(0, 4, 3, true)).toEqual([1, 2, 3]);
    expect(contourLevels(2, 2, 5, false)).toEqual([]);
    expect(contourLevels(3, 1, 5, false)).toEqual([]);
    expect(contourLevels(0, 1, 0, false)).toEqual([]);
    expect(contourLevels(NaN, 1, 3, false)).toEqual([]);
  });
});

describe('marching squares', () => {
  it('traces circles of radius √level on a radial bowl', () => {
    const { coords, grid } = bowl(41, 1);
    for (const level of [0.1, 0.25, 0.5, 0.8]) {
      const segments = contourSegments(grid, coords, level);
      expect(segments.length).toBeGreaterThan(10);
      for (const [x1, y1, x2, y2] of segments) {
        expect(Math.abs(Math.hypot(x1, y1) - Math.sqrt(level))).toBeLessThan(0.05);
        expect(Math.abs(Math.hypot(x2, y2) - Math.sqrt(level))).toBeLessThan(0.05);
      }
      // A closed curve: summed segment lengths ≈ the circumference.
      const length = segments.reduce((s, [x1, y1, x2, y2]) => s + Math.hypot(x2 - x1, y2 - y1), 0);
      expect(length).toBeCloseTo(2 * Math.PI * Math.sqrt(level), 1);
    }
  });

  it('gives no segments for a flat grid or a level outside the values', () => {
    const coords = [0, 1, 2, 3];
    const flat = coords.map(() => coords.map(() => 2));
    expect(contourSegments(flat, coords, 2)).toEqual([]);
    expect(contourSegments(flat, coords, 1)).toEqual([]);
    const { coords: c, grid } = bowl(11, 1);
    expect(contourSegments(grid, c, -1)).toEqual([]);
    expect(contourSegments(grid, c, 5)).toEqual([]);
  });

  it('interpolates linearly along cell edges', () => {
    // One cell: 0 at x=0, 4 at x=1 on both rows, so level 1 is the vertical line x = 0.25.
    const segments = contourSegments(
      [
        [0, 4],
        [0, 4],
      ],
      [0, 1],
      1,
    );
    expect(segments).toHaveLength(1);
    const [x1, y1, x2, y2] = segments[0];
    expect([x1, x2]).toEqual([0.25, 0.25]);
    expect([y1, y2].sort()).toEqual([0, 1]);
  });

  it('resolves saddles by the centre average', () => {
    // Corners bottom-left 1, bottom-right 0, top-right 1, top-left 0.
    const saddle = [
      [1, 0],
      [0, 1],
    ];
    const cut = (level: number) =>
      contourSegments(saddle, [0, 1], level).map(([x1, y1, x2, y2]) =>
        [(x1 + x2) / 2, (y1 + y2) / 2].map((v) => Math.round(v * 100) / 100),
      );
    // Centre 0.5 > 0.4: the high corners join across the centre, the low corners (bottom-right, top-left) are cut off.
    expect(cut(0.4).sort()).toEqual(
      [
        [0.2, 0.8],
        [0.8, 0.2],
      ].sort(),
    );
    // Centre 0.5 ≤ 0.6: the low corners join, the high ones (bottom-left, top-right) are cut off.
    expect(cut(0.6).sort()).toEqual(
      [
        [0.2, 0.2],
        [0.8, 0.8],
      ].sort(),
    );
  });

  it('skips cells with non-finite corners', () => {
    const grid = [
      [0, 1, 2],
      [0, NaN, 2],
      [0, 1, 2],
    ];
    expect(contourSegments(grid, [0, 1, 2], 0.5)).toEqual([]);
  });

  it('writes segments as SVG move/line commands in pixels', () => {
    const d = segmentsToPath(
      [
        [0, 0, 1, 1],
        [0.5, 0, 0.5, 1],
      ],
      (x) => x * 100,
      (y) => 100 - y * 100,
    );
    expect(d).toBe('M0 100L100 0M50 100L50 0');
    expect(
      segmentsToPath(
        [],
        (x) => x,
        (y) => y,
      ),
    ).toBe('');
  });
});
