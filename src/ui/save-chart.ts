/** Saves the charts of a chart card as an SVG or PNG file (the DOM side of chart-image.ts). */
import { composeSvg, fileNameFor, type ImageChart, type ImageLegendItem } from './chart-image';
import { downloadBlob } from './download';

export type ImageFormat = 'png' | 'svg';

export interface ChartImageInfo {
  title: string;
  legend?: ImageLegendItem[];
  footer?: string;
}

/** Computed styles that decide how a chart looks; the file carries no stylesheet, so they are written onto each node. */
const PAINT_PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity'] as const;
const FONT_PROPS = ['font-family', 'font-size', 'font-weight', 'text-anchor'] as const;

function inlineStyles(source: Element, target: Element): void {
  if (target instanceof SVGElement) {
    const computed = getComputedStyle(source);
    const isText = source instanceof SVGTextContentElement;
    for (const prop of isText ? [...PAINT_PROPS, ...FONT_PROPS] : PAINT_PROPS) {
      const value = computed.getPropertyValue(prop);
      // Computed url(...) paints may be absolute page URLs, which a standalone file cannot resolve: keep the attribute.
      if (!value || value.includes('url(') || (prop === 'opacity' && value === '1')) continue;
      target.style.setProperty(prop, value);
    }
  }
  const from = source.children;
  const to = target.children;
  for (let k = 0; k < from.length && k < to.length; k++) inlineStyles(from[k], to[k]);
}

/** The element as standalone SVG markup with its computed look inlined, and its size on the page. */
export function serializeChartSvg(svg: SVGSVGElement): { markup: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width) || Number(svg.getAttribute('width')) || 0;
  const height = Math.round(box.height) || Number(svg.getAttribute('height')) || 0;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.hasAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.removeAttribute('class');
  return { markup: new XMLSerializer().serializeToString(clone), width, height };
}

/** Chart surfaces in the card: recharts' and our own exportable ones, not legend icons or nested surfaces. */
function chartSvgs(figure: HTMLElement): SVGSVGElement[] {
  const all = [...figure.querySelectorAll<SVGSVGElement>('svg.recharts-surface, svg[data-exportable]')];
  return all.filter(
    (svg) =>
      !svg.closest('.recharts-legend-wrapper, .legend') &&
      !all.some((other) => other !== svg && other.contains(svg)) &&
      svg.getBoundingClientRect().width > 0,
  );
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('The browser could not draw the chart as an image.'));
    img.src = url;
  });
}

async function svgToPng(svg: string, width: number, height: number, scale: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = await loadImage(url);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw on a canvas, so the PNG could not be made. Try SVG instead.');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => {
      try {
        canvas.toBlob(
          (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded (the image may be too large).'))),
          'image/png',
        );
      } catch (e) {
        // A tainted canvas throws a SecurityError here.
        reject(new Error(`The browser refused to export the PNG (${e instanceof Error ? e.message : String(e)}). Try SVG instead.`));
      }
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Composes the card's charts with its title, legend and footer, and downloads them as an SVG or a 2× PNG. */
export async function saveChartImage(figure: HTMLElement, info: ChartImageInfo, format: ImageFormat): Promise<void> {
  const surfaces = chartSvgs(figure);
  if (surfaces.length === 0) throw new Error(`“${info.title}” has no chart drawn yet.`);
  const charts: ImageChart[] = surfaces.map((svg) => {
    const label = svg.getAttribute('data-export-label') ?? undefined;
    return { ...serializeChartSvg(svg), label: label || undefined };
  });
  const image = composeSvg({ title: info.title, charts, legend: info.legend, footer: info.footer });
  const blob =
    format === 'svg' ? new Blob([image.svg], { type: 'image/svg+xml' }) : await svgToPng(image.svg, image.width, image.height, 2);
  downloadBlob(fileNameFor(info.title, format), blob);
}
