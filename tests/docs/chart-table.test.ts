/** The README's chart table is the one the figure registry makes: edit src/store/figures.ts, then `npm run docs:charts`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartTableMarkdown, readmeTable, README_PATH, TABLE_END, TABLE_START, withChartTable } from '../../scripts/docs-charts';
import { FIGURES } from '../../src/store/figures';

const readme = readFileSync(README_PATH, 'utf8');

describe("the README's chart table", () => {
  it('is what the figure registry generates', () => {
    expect(readme, 'README.md’s chart table differs from src/store/figures.ts: run `npm run docs:charts`').toBe(withChartTable(readme));
  });

  it('sits between the markers, header included, under “What each chart means”', () => {
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(readme.indexOf('### What each chart means'));
    expect(readme.slice(start + TABLE_START.length, end).trim()).toBe(chartTableMarkdown());
  });

  it('has one row per distinct README row of the registry, and every chart is in one', () => {
    const lines = chartTableMarkdown().split('\n');
    expect(lines).toHaveLength(2 + readmeTable().length);
    expect(
      readmeTable()
        .flatMap((r) => r.figures)
        .sort(),
    ).toEqual(FIGURES.map((f) => f.id).sort());
  });

  it('names the paper’s figures in the chart cell and escapes the pipes inside cells', () => {
    const rows = Object.fromEntries(readmeTable().map((r) => [r.figures[0], r.chart]));
    expect(rows.fig5).toBe('B+ / B− losses (Fig. 5)');
    expect(rows.loss).toBe('Loss and accuracy');
    expect(rows.linearity).toBe('Linearity ζ (appendix A.3 and Fig. 7, optional)');
    expect(rows.labelNoise).toBe('Label noise in B+ (label-noise runs)');
    const linearity = chartTableMarkdown()
      .split('\n')
      .find((l) => l.startsWith('| Linearity ζ'));
    expect(linearity).toContain('ζ(ε, S) = \\|L_S(θ+ε)');
    expect(linearity?.split(/(?<!\\)\|/)).toHaveLength(5);
  });

  it('refuses a README without its markers', () => {
    expect(() => withChartTable('# no table here\n')).toThrow(/exactly one/);
    expect(() => withChartTable(`${TABLE_START}\n${TABLE_END}\n${TABLE_START}\n${TABLE_END}`)).toThrow(/exactly one/);
  });
});
