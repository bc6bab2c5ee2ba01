/**
 * The figure registry (src/store/figures.ts) stands for every chart the page draws: each chart
 * card's title comes from it, each of its entries is drawn, its series are epoch keys of the run
 * record, the comparison's metrics are its own, and the titles the end-to-end tests look up exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { EPOCH_KEYS, OPTIONAL_EPOCH_KEYS } from '../../src/engine/run-record';
import { METRICS } from '../../src/store/compare';
import { explanationOf, FIG3_AXES, figure, FIGURES, titleOf } from '../../src/store/figures';
import { METRIC_DEFS } from '../../src/store/metrics';

const root = resolve(__dirname, '../..');
const ids: readonly string[] = FIGURES.map((f) => f.id);

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith(ext))
    .map((d) => join(d.parentPath, d.name));
}

/** A title with its `{name}` slots as wildcards. */
function titlePattern(title: string): RegExp {
  const parts = title.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

/** The expressions an attribute's value can end up as, through conditionals and brackets. */
function leaves(node: ts.Node): ts.Node[] {
  if (ts.isJsxExpression(node)) return node.expression ? leaves(node.expression) : [node];
  if (ts.isParenthesizedExpression(node)) return leaves(node.expression);
  if (ts.isConditionalExpression(node)) return [...leaves(node.whenTrue), ...leaves(node.whenFalse)];
  return [node];
}

interface ChartCardUse {
  file: string;
  /** The title attribute's source text. */
  title: string;
  fromRegistry: boolean;
}

/** Every <ChartCard> in the UI's source with where its title comes from, and the registry ids the UI names. */
function scanUi(): { cards: ChartCardUse[]; named: Set<string> } {
  const cards: ChartCardUse[] = [];
  const named = new Set<string>();
  const name = (node: ts.Node) => {
    for (const leaf of leaves(node)) if (ts.isStringLiteralLike(leaf)) named.add(leaf.text);
  };
  for (const file of filesUnder('src/ui', '.tsx')) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const visit = (node: ts.Node): void => {
      if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText() === 'ChartCard') {
        const attr = node.attributes.properties.find((p): p is ts.JsxAttribute => ts.isJsxAttribute(p) && p.name.getText() === 'title');
        const value = attr?.initializer;
        cards.push({
          file: file.slice(root.length + 1),
          title: value?.getText() ?? '(none)',
          fromRegistry: value !== undefined && leaves(value).every((l) => ts.isCallExpression(l) && l.expression.getText() === 'titleOf'),
        });
      }
      if (ts.isCallExpression(node) && ['figure', 'titleOf', 'explanationOf'].includes(node.expression.getText()) && node.arguments[0])
        name(node.arguments[0]);
      if (ts.isJsxAttribute(node) && node.name.getText() === 'figureId' && node.initializer) name(node.initializer);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { cards, named };
}

describe('the figure registry', () => {
  it('has one entry per id, with distinct titles and the texts every card needs', () => {
    expect(new Set(ids).size).toBe(ids.length);
    const patterns = FIGURES.map((f) => titlePattern(f.title));
    for (const f of FIGURES) {
      expect(
        patterns.filter((p) => p.test(f.title)),
        f.id,
      ).toHaveLength(1);
      for (const text of [f.title, f.explanation, f.readme.chart, f.readme.shows, f.readme.paperFound])
        expect(text.trim(), f.id).not.toBe('');
    }
  });

  it('plots only epoch keys that the run record defines', () => {
    const keys = new Set<string>([...EPOCH_KEYS, ...OPTIONAL_EPOCH_KEYS].filter((k) => k !== 'epoch'));
    const series = FIGURES.flatMap((f) => f.series.map((s) => ({ figure: f.id, key: s.key as string })));
    expect(series.length).toBeGreaterThan(10);
    expect(series.filter((s) => !keys.has(s.key))).toEqual([]);
    // A chart names each of its lines once.
    for (const f of FIGURES) expect(new Set(f.series.map((s) => s.key)).size, f.id).toBe(f.series.length);
  });

  it('is where the comparison’s metrics come from: one per epoch key every epoch has', () => {
    expect(METRICS).toBe(METRIC_DEFS);
    const always = EPOCH_KEYS.filter((k) => k !== 'epoch');
    expect(METRICS.map((m) => m.key).sort()).toEqual([...always].sort());
    expect(new Set(METRICS.map((m) => m.label)).size).toBe(METRICS.length);
    expect(
      METRICS.filter((m) => m.percent)
        .map((m) => m.key)
        .sort(),
    ).toEqual(['testAcc', 'trainAcc']);
    // Labels shared with a chart are the metric's own.
    expect(figure('throughput').yLabel).toBe(METRICS.find((m) => m.key === 'imagesPerSec')?.axis);
    expect(FIG3_AXES.x).toBe(METRICS.find((m) => m.key === 'seconds')?.axis);
  });

  it('fills the slots of titles and explanations, and types them', () => {
    expect(titleOf('sweepFig3', { sweep: 'Sweep 2' })).toBe('Fig. 3 — Sweep 2: test accuracy against time per epoch');
    expect(titleOf('compareByTime', { metric: 'Test loss' })).toBe('Test loss by training time');
    expect(explanationOf('sdsPicks', { count: '12' })).toMatch(/^The 12 images of the probe batch/);
    expect(titleOf('loss')).toBe('Loss');
    for (const f of FIGURES) {
      expect(f.title.match(/\{|\}/g)?.length ?? 0, f.id).toBe(2 * (f.title.match(/\{\w+\}/g)?.length ?? 0));
    }
    // @ts-expect-error: the sweep's title needs its name
    titleOf('sweepFig3');
    // @ts-expect-error: the loss chart's title has no slot
    titleOf('loss', { sweep: 'x' });
    // @ts-expect-error: not a chart
    figure('nope');
  });

  it('is where every chart card in the UI takes its title from, and each entry is drawn', () => {
    const { cards, named } = scanUi();
    expect(cards.length).toBeGreaterThan(10);
    expect(cards.filter((c) => !c.fromRegistry)).toEqual([]);
    expect(ids.filter((id) => !named.has(id))).toEqual([]);
    expect([...named].filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('has every chart title that the end-to-end tests look up', () => {
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    for (const file of filesUnder('e2e', '.spec.ts')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:chart|points)\(page, '([^']+)'\)|getByRole\('figure', \{ name: '([^']+)'/g))
        exact.add(m[1] ?? m[2]);
      for (const m of text.matchAll(/chart\(page, \/(.+?)\/\)/g)) patterns.push(new RegExp(m[1]));
    }
    expect(exact.size).toBeGreaterThan(4);
    const titles = FIGURES.map((f) => f.title);
    expect([...exact].filter((t) => !titles.includes(t as (typeof titles)[number]))).toEqual([]);
    const filled = FIGURES.map((f) => f.title.replace(/\{\w+\}/g, 'Test accuracy'));
    expect(patterns.filter((p) => !filled.some((t) => p.test(t)))).toEqual([]);
  });
});
