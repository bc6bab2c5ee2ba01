import { describe, expect, it } from 'vitest';
import { composeSvg, escapeXml, fileNameFor, IMAGE_LAYOUT } from '../../src/ui/chart-image';

/** A tiny well-formedness check: tags balance, attributes are quoted, and text holds no raw < or stray &. */
function checkXml(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const text = xml.slice(last, m.index);
    expect(text, `text before offset ${m.index}`).not.toMatch(/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
    last = token.lastIndex;
    if (m[0].startsWith('<!--')) continue;
    const [, close, name, attrs, selfClose] = m;
    expect(attrs).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(xml.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}

const chartA = {
  markup: '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><path d="M0 0L10 10" stroke="#c0392b"/></svg>',
  width: 300,
  height: 200,
};
const chartB = {
  markup: '<svg xmlns="http://www.w3.org/2000/svg" width="70" height="312"><rect x="0" y="0" width="14" height="20" fill="#440154"/></svg>',
  width: 70,
  height: 312,
  label: 'run "A" <1>',
};

describe('composed chart image', () => {
  it('is one well-formed SVG document with the title escaped, charts side by side, and the legend', () => {
    const { svg, width, height } = composeSvg({
      title: 'Loss & accuracy <by epoch>',
      charts: [chartA, chartB],
      legend: [
        { name: 'ESAM-SWP, β sweep', color: '#1f5fae' },
        { name: 'train (dashed)', color: '#4a5260', dash: '5 4' },
      ],
      footer: 'loss from 0.1 to 2.3 (log colour scale)',
    });
    checkXml(svg);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(`width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`);
    expect(width).toBe(300 + 70 + IMAGE_LAYOUT.gap + 2 * IMAGE_LAYOUT.margin);
    expect(height).toBeGreaterThan(312);
    expect(svg).toContain('Loss &amp; accuracy &lt;by epoch&gt;');
    expect(svg).not.toContain('Loss & accuracy');
    expect(svg).toContain(chartA.markup);
    expect(svg).toContain(chartB.markup);
    expect(svg).toContain('run &quot;A&quot; &lt;1&gt;');
    expect(svg).toContain('ESAM-SWP, β sweep');
    expect(svg).toContain('train (dashed)');
    expect(svg).toContain('stroke-dasharray="5 4"');
    expect(svg).toContain('loss from 0.1 to 2.3 (log colour scale)');
    expect(svg).toMatch(/<rect x="0" y="0" width="\d+" height="\d+" fill="#ffffff"\/>/);
  });

  it('places each chart as a nested svg at its own x, labels shifting charts down', () => {
    const { svg } = composeSvg({ title: 't', charts: [chartA, chartB] });
    const m = IMAGE_LAYOUT.margin;
    const nested = [...svg.matchAll(/<svg x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((r) =>
      r.slice(1).map(Number),
    );
    expect(nested).toHaveLength(2);
    expect(nested[0][0]).toBe(m);
    expect(nested[1][0]).toBe(m + 300 + IMAGE_LAYOUT.gap);
    expect(nested[0][1]).toBe(nested[1][1]);
    expect(nested.map((r) => r.slice(2))).toEqual([
      [300, 200],
      [70, 312],
    ]);
    const unlabelled = composeSvg({ title: 't', charts: [chartA] }).svg.match(/<svg x="[\d.]+" y="([\d.]+)"/)!;
    expect(Number(unlabelled[1])).toBe(nested[0][1] - IMAGE_LAYOUT.labelLine);
  });

  it('wraps a long legend onto more rows and stays well formed without legend or footer', () => {
    const legend = Array.from({ length: 12 }, (_, k) => ({ name: `a fairly long run name ${k}`, color: '#123456' }));
    const one = composeSvg({ title: 'x', charts: [chartA], legend: legend.slice(0, 1) });
    const many = composeSvg({ title: 'x', charts: [chartA], legend });
    expect(many.height).toBeGreaterThan(one.height + 3 * IMAGE_LAYOUT.legendLine);
    const bare = composeSvg({ title: 'x', charts: [] });
    checkXml(bare.svg);
    expect(bare.width).toBe(IMAGE_LAYOUT.minWidth);
  });

  it('drops an XML prolog from chart markup so the document stays valid', () => {
    const { svg } = composeSvg({ title: 'x', charts: [{ ...chartA, markup: `<?xml version="1.0"?>${chartA.markup}` }] });
    expect(svg).not.toContain('<?xml');
    checkXml(svg);
  });

  it('escapes all five XML specials and drops forbidden control characters', () => {
    expect(escapeXml(`a&b<c>d"e'f\u0001g`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;fg');
  });
});

describe('chart file names', () => {
  it('slugs the title after the app name', () => {
    expect(fileNameFor('Fig. 5 — losses of B+ and B−', 'svg')).toBe('esam-playground-fig-5-losses-of-b-and-b.svg');
    expect(fileNameFor('Training loss per step', 'png')).toBe('esam-playground-training-loss-per-step.png');
    expect(fileNameFor('Café β', 'png')).toBe('esam-playground-cafe.png');
    expect(fileNameFor('θ+ε', 'svg')).toBe('esam-playground-chart.svg');
  });

  it('cuts long titles at a word', () => {
    const name = fileNameFor('word '.repeat(40), 'png');
    expect(name.length).toBeLessThanOrEqual('esam-playground-.png'.length + 60);
    expect(name).toMatch(/^esam-playground-(word-)*word\.png$/);
  });
});
