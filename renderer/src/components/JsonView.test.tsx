import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { highlightJson } from './JsonView';

describe('highlightJson', () => {
  it('marks keys, strings, numbers and literals, and keeps every character', () => {
    const text = JSON.stringify({ Id: 'abc', Pid: 42, Running: true, Error: null, Env: ['A="1"'] }, null, 2);
    const html = renderToStaticMarkup(<pre>{highlightJson(text)}</pre>);
    expect(html).toContain('<span class="j-key">&quot;Id&quot;</span>: <span class="j-str">&quot;abc&quot;</span>');
    expect(html).toContain('<span class="j-num">42</span>');
    expect(html).toContain('<span class="j-lit">true</span>');
    expect(html).toContain('<span class="j-lit">null</span>');
    expect(html).toContain('<span class="j-str">&quot;A=\\&quot;1\\&quot;&quot;</span>');
    expect(html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"')).toBe(text);
  });
});
