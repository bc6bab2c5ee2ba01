import { describe, expect, it } from 'vitest';
import {
  colorScale,
  NO_VALUE_COLOR,
  PALETTE,
  paletteColor,
  scalePosition,
  scaleValue,
  sharedRange,
} from '../../src/ui/landscape/color-scale';

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255);
}

describe('colour scale', () => {
  it('maps the ends of the range to the ends of the palette and clamps beyond them', () => {
    const color = colorScale(1, 3, false);
    expect(color(1)).toBe(PALETTE[0]);
    expect(color(3)).toBe(PALETTE[PALETTE.length - 1]);
    expect(color(-10)).toBe(PALETTE[0]);
    expect(color(1e9)).toBe(PALETTE[PALETTE.length - 1]);
    expect(color(Infinity)).toBe(NO_VALUE_COLOR);
  });

  it('colours non-finite values grey', () => {
    const color = colorScale(0, 1, true);
    expect(color(NaN)).toBe(NO_VALUE_COLOR);
    expect(color(-Infinity)).toBe(NO_VALUE_COLOR);
  });

  it('gets brighter as the loss rises', () => {
    const color = colorScale(0, 1, false);
    const lum = [0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => luminance(color(v)));
    lum.slice(1).forEach((l, k) => expect(l).toBeGreaterThan(lum[k]));
    expect(color(0.5)).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('puts the geometric middle at the centre of a log scale', () => {
    expect(scalePosition(1, 0.1, 10, true)).toBeCloseTo(0.5, 12);
    expect(scalePosition(5.05, 0.1, 10, false)).toBeCloseTo(0.5, 12);
    expect(colorScale(0.1, 10, true)(1)).toBe(paletteColor(0.5));
    expect(scaleValue(0.5, 0.1, 10, true)).toBeCloseTo(1, 12);
    expect(scaleValue(0.25, 0, 8, false)).toBe(2);
  });

  it('gives the low colour when the range is empty', () => {
    expect(colorScale(2, 2, false)(2)).toBe(PALETTE[0]);
  });
});

describe('shared range', () => {
  it('spans all finite values of several grids when not clipped', () => {
    const a = [
      [1, 2],
      [3, NaN],
    ];
    const b = [
      [0.5, Infinity],
      [4, 6],
    ];
    expect(sharedRange([a, b], 1)).toEqual({ min: 0.5, max: 6 });
  });

  it('clips the top at a quantile so one exploding corner does not wash out the rest', () => {
    const calm = Array.from({ length: 10 }, (_, j) => Array.from({ length: 10 }, (_, i) => 1 + (j * 10 + i) / 100));
    const exploding = calm.map((row) => [...row]);
    exploding[9][9] = 1e6;
    const range = sharedRange([calm, exploding]);
    expect(range.min).toBe(1);
    expect(range.max).toBeLessThan(2);
    expect(range.max).toBeGreaterThan(1.9);
    expect(sharedRange([calm, exploding], 1).max).toBe(1e6);
  });

  it('falls back to [0, 1] without finite values', () => {
    expect(sharedRange([])).toEqual({ min: 0, max: 1 });
    expect(sharedRange([[[NaN, Infinity]]])).toEqual({ min: 0, max: 1 });
  });
});
