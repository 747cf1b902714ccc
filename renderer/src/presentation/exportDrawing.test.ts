import { describe, expect, it } from 'vitest';
import { drawingFileName, styleText, svgDocument, type StyleList } from './exportDrawing';

const style = (props: Record<string, string>): StyleList => {
  const names = Object.keys(props);
  return { length: names.length, item: (i) => names[i], getPropertyValue: (n) => props[n] ?? '' };
};

describe('exporting a drawing', () => {
  it('writes every style for the root, and below it what a default or the parent would not give', () => {
    const drawn = style({ color: 'rgb(0, 0, 0)', 'font-size': '18px', display: 'block', 'box-sizing': 'border-box' });
    expect(styleText(drawn)).toBe('color: rgb(0, 0, 0); font-size: 18px; display: block; box-sizing: border-box;');
    const defaults = style({ color: 'rgb(0, 0, 0)', 'font-size': '16px', display: 'block', 'box-sizing': 'content-box' });
    // The same as the default and the parent: left out. Black under a blue parent: kept, or it would inherit blue.
    const parent = style({ color: 'rgb(0, 0, 255)', 'font-size': '18px', display: 'block', 'box-sizing': 'border-box' });
    expect(styleText(drawn, defaults, parent)).toBe('color: rgb(0, 0, 0); font-size: 18px; box-sizing: border-box;');
  });

  it('makes a standalone SVG: HTML drawings inside a foreignObject, SVG ones as they are, titled', () => {
    const html = svgDocument('<div xmlns="http://www.w3.org/1999/xhtml">L0</div>', 400.4, 120, true, 'Strata: tour-box & <co>');
    expect(html).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(html).toContain('width="401" height="120" viewBox="0 0 401 120"');
    expect(html).toContain('<foreignObject x="0" y="0" width="401" height="120"><div xmlns="http://www.w3.org/1999/xhtml">L0</div></foreignObject>');
    expect(html).toContain('<title>Strata: tour-box &amp; &lt;co></title>');
    const svg = svgDocument('<svg class="nm"><rect/></svg>', 10, 10, false, 'map');
    expect(svg).not.toContain('foreignObject');
    expect(svg).toContain('<svg class="nm"><rect/></svg></svg>');
  });

  it('names the file after the view', () => {
    expect(drawingFileName('tour-box ▶ running', 'svg')).toBe('strata-tour-box-running.svg');
    expect(drawingFileName('', 'png')).toBe('strata-drawing.png');
  });
});
