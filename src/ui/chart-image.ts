/** Lays out a chart card as one standalone SVG document: title, charts side by side, legend, footer. Pure: no DOM. */

export interface ImageChart {
  /** A serialized <svg> element. */
  markup: string;
  width: number;
  height: number;
  /** Drawn above the chart. */
  label?: string;
}

export interface ImageLegendItem {
  name: string;
  color: string;
  dash?: string;
}

export interface ImageParts {
  title: string;
  charts: ImageChart[];
  legend?: ImageLegendItem[];
  /** A note under everything, e.g. what the colour scale spans. */
  footer?: string;
}

export interface ComposedImage {
  svg: string;
  width: number;
  height: number;
}

export const IMAGE_LAYOUT = {
  margin: 16,
  gap: 16,
  minWidth: 320,
  titleSize: 15,
  titleLine: 20,
  labelSize: 12,
  labelLine: 18,
  legendSize: 12,
  legendLine: 18,
  legendSwatch: 22,
  footerSize: 11,
  footerLine: 16,
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
} as const;

/** Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** A rough text width: the file is drawn without measuring fonts, so layout errs on the wide side. */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.58;
}

/** Greedy word wrap to lines at most maxWidth wide (a longer single word keeps its own line). */
function wrap(text: string, maxWidth: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function textLines(lines: string[], x: number, y: number, lineHeight: number, attrs: string): string {
  return lines.map((l, k) => `<text x="${n(x)}" y="${n(y + k * lineHeight)}" ${attrs}>${escapeXml(l)}</text>`).join('');
}

/** Legend entries, left to right, wrapping to new rows; returns markup and the rows used. */
function legendMarkup(items: ImageLegendItem[], x0: number, y0: number, maxWidth: number): { markup: string; rows: number } {
  const L = IMAGE_LAYOUT;
  let x = 0;
  let row = 0;
  const parts: string[] = [];
  for (const item of items) {
    const w = L.legendSwatch + 6 + textWidth(item.name, L.legendSize) + 14;
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      row++;
    }
    const y = y0 + row * L.legendLine + L.legendLine / 2;
    const dash = item.dash ? ` stroke-dasharray="${escapeXml(item.dash)}"` : '';
    parts.push(
      `<line x1="${n(x0 + x)}" y1="${n(y)}" x2="${n(x0 + x + L.legendSwatch)}" y2="${n(y)}" stroke="${escapeXml(item.color)}" stroke-width="2.5"${dash}/>`,
      `<text x="${n(x0 + x + L.legendSwatch + 6)}" y="${n(y + L.legendSize * 0.35)}" font-size="${L.legendSize}" fill="#2b313a">${escapeXml(item.name)}</text>`,
    );
    x += w;
  }
  return { markup: parts.join(''), rows: items.length > 0 ? row + 1 : 0 };
}

/** One SVG document holding the charts side by side under the title, with the legend and footer below. */
export function composeSvg(parts: ImageParts): ComposedImage {
  const L = IMAGE_LAYOUT;
  const { charts } = parts;
  const chartsWidth = charts.reduce((s, c) => s + c.width, 0) + L.gap * Math.max(0, charts.length - 1);
  const width = Math.ceil(Math.max(L.minWidth, chartsWidth + 2 * L.margin));
  const inner = width - 2 * L.margin;
  const body: string[] = [];

  let y = L.margin;
  const titleLines = wrap(parts.title, inner, L.titleSize);
  body.push(textLines(titleLines, L.margin, y + L.titleSize, L.titleLine, `font-size="${L.titleSize}" font-weight="600" fill="#1d232b"`));
  y += titleLines.length * L.titleLine + 8;

  const labelled = charts.some((c) => c.label);
  const chartsHeight = charts.reduce((h, c) => Math.max(h, c.height), 0);
  let x = L.margin;
  for (const c of charts) {
    if (c.label)
      body.push(`<text x="${n(x)}" y="${n(y + L.labelSize)}" font-size="${L.labelSize}" fill="#2b313a">${escapeXml(c.label)}</text>`);
    const top = y + (labelled ? L.labelLine : 0);
    const markup = c.markup.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
    body.push(
      `<svg x="${n(x)}" y="${n(top)}" width="${n(c.width)}" height="${n(c.height)}" viewBox="0 0 ${n(c.width)} ${n(c.height)}" overflow="hidden">${markup}</svg>`,
    );
    x += c.width + L.gap;
  }
  y += (labelled ? L.labelLine : 0) + chartsHeight;

  if (parts.legend && parts.legend.length > 0) {
    y += 8;
    const legend = legendMarkup(parts.legend, L.margin, y, inner);
    body.push(legend.markup);
    y += legend.rows * L.legendLine;
  }
  if (parts.footer) {
    y += 6;
    const lines = wrap(parts.footer, inner, L.footerSize);
    body.push(textLines(lines, L.margin, y + L.footerSize, L.footerLine, `font-size="${L.footerSize}" fill="#5b6470"`));
    y += lines.length * L.footerLine;
  }
  const height = Math.ceil(y + L.margin);

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(L.font)}">` +
    `<title>${escapeXml(parts.title)}</title>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    body.join('') +
    '</svg>';
  return { svg, width, height };
}

/** A file name for the chart: the app's name and a slug of its title, e.g. esam-playground-loss.png. */
export function fileNameFor(title: string, ext: 'png' | 'svg'): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const words = slug.split('-').filter(Boolean);
  // Long titles are cut at a word so the name stays readable in a file list.
  let short = '';
  for (const w of words) {
    const next = short ? `${short}-${w}` : w;
    if (next.length > 60) break;
    short = next;
  }
  if (!short && words.length > 0) short = words[0].slice(0, 60);
  return `esam-playground-${short || 'chart'}.${ext}`;
}
