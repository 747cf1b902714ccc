// The drawing on screen as a file for slides: SVG, and PNG made from it.
// Strata's drawings mix HTML (the slabs, so long instructions cut cleanly)
// and SVG (pointers, maps), so an HTML drawing travels inside a
// <foreignObject> with every style it was drawn with written inline (a
// slide has no stylesheet); a drawing that is SVG alone stays plain SVG.

/** Where each view keeps its drawing, most telling first; the first one on screen is exported. */
export const drawingSelectors = [
  'main .picture',
  'main .build-stack-drawing',
  'main .stack',
  'main svg.nm',
  'main svg.family',
  'main .sizemap',
  'main svg.diagram-svg',
];

export function currentDrawing(doc: Document = document): Element | null {
  for (const selector of drawingSelectors) {
    for (const el of doc.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) return el;
    }
  }
  return null;
}

/** What a computed style needs to say: every property, or only those that differ from `defaults` or from `parent`. */
export interface StyleList {
  readonly length: number;
  item(index: number): string;
  getPropertyValue(name: string): string;
}

/**
 * The declarations an element needs inline where no stylesheet applies.
 * A value may be left out only when it is both the browser's default for
 * the element (what a non-inherited property falls back to) and its
 * parent's (what an inherited one takes): then it comes out the same.
 */
export function styleText(style: StyleList, defaults?: StyleList, parent?: StyleList): string {
  const out: string[] = [];
  for (let i = 0; i < style.length; i++) {
    const name = style.item(i);
    const value = style.getPropertyValue(name);
    if (defaults && parent && defaults.getPropertyValue(name) === value && parent.getPropertyValue(name) === value) continue;
    out.push(`${name}: ${value};`);
  }
  return out.join(' ');
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A standalone SVG document around serialised markup: HTML goes in a foreignObject, SVG children as they are. */
export function svgDocument(inner: string, width: number, height: number, html: boolean, title: string): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  const body = html ? `<foreignObject x="0" y="0" width="${w}" height="${h}">${inner}</foreignObject>` : inner;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<title>${xmlText(title)}</title>${body}</svg>\n`
  );
}

/** The element with its computed styles inlined (the root in full, each other element where it needs it). */
function inlined(el: Element): Element {
  const clone = el.cloneNode(true) as Element;
  // The browser's defaults, out of reach of the app's stylesheets (a shadow root) and of inheritance (all: initial).
  const probeHost = document.createElement('div');
  probeHost.style.cssText = 'all: initial; position: absolute; left: -99999px; top: 0';
  const probes = probeHost.attachShadow({ mode: 'open' });
  document.body.appendChild(probeHost);
  const defaults = new Map<string, CSSStyleDeclaration>();
  const defaultFor = (source: Element) => {
    const key = `${source.namespaceURI} ${source.localName}`;
    if (!defaults.has(key)) {
      const probe = document.createElementNS(source.namespaceURI, source.localName);
      probes.appendChild(probe);
      defaults.set(key, getComputedStyle(probe));
    }
    return defaults.get(key)!;
  };
  const walk = (source: Element, copy: Element, parent?: CSSStyleDeclaration) => {
    const computed = getComputedStyle(source);
    const text = styleText(computed, parent && defaultFor(source), parent);
    if (copy instanceof HTMLElement || copy instanceof SVGElement) copy.setAttribute('style', text);
    for (let i = 0; i < source.children.length; i++) walk(source.children[i], copy.children[i], computed);
  };
  walk(el, clone);
  // Buttons and copy icons are for the live app, not for a slide.
  clone.querySelectorAll('button, .copy').forEach((b) => b.remove());
  probeHost.remove();
  return clone;
}

export function drawingToSvg(el: Element, title = document.title): string {
  const r = el.getBoundingClientRect();
  const copy = inlined(el);
  const isSvg = el instanceof SVGSVGElement;
  if (!isSvg) copy.setAttribute('xmlns', 'http://www.w3.org/1999/xhtml');
  const markup = new XMLSerializer().serializeToString(copy);
  return svgDocument(markup, r.width, r.height, !isSvg, title);
}

/** The SVG drawn onto a canvas `scale` times its size (sharp on a projector). */
export function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(width) * scale;
      canvas.height = Math.ceil(height) * scale;
      const g = canvas.getContext('2d');
      if (!g) return reject(new Error('this browser cannot draw on a canvas'));
      g.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--bg') || '#ffffff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.scale(scale, scale);
      g.drawImage(img, 0, 0);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the drawing could not be made a PNG'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the drawing could not be read back as SVG'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
}

export function downloadBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** A file name from the view's title: "strata-tour-box.svg". */
export function drawingFileName(title: string, ext: 'svg' | 'png'): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `strata-${slug || 'drawing'}.${ext}`;
}
