/**
 * Writes the README's chart table ("What each chart means") from the figure registry,
 * src/store/figures.ts, between the two marker comments.
 *
 *   npm run docs:charts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, FIGURES, type FigureId, type ReadmeRow } from '../src/store/figures';

export const TABLE_START = '<!-- chart-table:start (written by npm run docs:charts from src/store/figures.ts) -->';
export const TABLE_END = '<!-- chart-table:end -->';
export const README_PATH = resolve(fileURLToPath(new URL('..', import.meta.url)), 'README.md');

/** A row of the README's chart table, with the charts it stands for. */
export interface ReadmeTableRow {
  /** The chart cell: the row's name, then the paper's figures of its charts and its note in brackets. */
  chart: string;
  shows: string;
  paperFound: string;
  figures: FigureId[];
}

/** The README's chart table: one row per distinct `readme` object, in registry order. */
export function readmeTable(): ReadmeTableRow[] {
  const rows = new Map<ReadmeRow, FigureId[]>();
  for (const f of FIGURES) rows.set(f.readme, [...(rows.get(f.readme) ?? []), f.id]);
  return [...rows].map(([row, ids]) => {
    const papers = [...new Set(ids.map((id) => figure(id).paperFigure).filter((p): p is NonNullable<typeof p> => p !== null))];
    const brackets = [papers.join(' and '), row.note ?? ''].filter((s) => s !== '');
    return {
      chart: brackets.length ? `${row.chart} (${brackets.join(', ')})` : row.chart,
      shows: row.shows,
      paperFound: row.paperFound,
      figures: ids,
    };
  });
}

/** A markdown table cell: a `|` inside it would end the cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The chart table as markdown, one line per row, with its header. */
export function chartTableMarkdown(): string {
  return [
    '| chart | what it shows | what the paper found |',
    '| --- | --- | --- |',
    ...readmeTable().map((r) => `| ${cell(r.chart)} | ${cell(r.shows)} | ${cell(r.paperFound)} |`),
  ].join('\n');
}

/** The README with the text between the markers replaced by the table; throws without exactly one pair of markers. */
export function withChartTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start || readme.indexOf(TABLE_START, start + 1) >= 0 || readme.indexOf(TABLE_END, end + 1) >= 0) {
    throw new Error(`README.md needs exactly one "${TABLE_START}" followed by one "${TABLE_END}"`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n${chartTableMarkdown()}\n${readme.slice(end)}`;
}

const invokedPath = process.argv[1] ? resolve(process.argv[1]) : '';
if (invokedPath === fileURLToPath(import.meta.url)) {
  const before = readFileSync(README_PATH, 'utf8');
  const after = withChartTable(before);
  if (after !== before) writeFileSync(README_PATH, after);
  process.stdout.write(after === before ? 'README.md: the chart table is up to date\n' : 'README.md: chart table rewritten\n');
}
