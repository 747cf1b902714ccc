import { describe, expect, it } from 'vitest';
import type { StackEntry } from '../../../engine/api';
import { renderHtml } from '../testing/render';
import { StackDiagram } from './StackDiagram';

const layer = (i: number): StackEntry => ({ kind: 'layer', layerIndex: i, createdBy: `/bin/sh -c step ${i}`, created: '', comment: '', size: 1000 * (i + 1), diffId: `sha256:${String(i).repeat(64)}` });
const entries: StackEntry[] = [layer(0), { kind: 'metadata', layerIndex: null, createdBy: '/bin/sh -c #(nop)  ENV A=1', created: '', comment: '', size: 0 }, layer(1), layer(2)];

describe('StackDiagram', () => {
  it('marks the layers layer-0, layer-1… from the bottom and the writable one layer-rw', () => {
    const html = renderHtml(<StackDiagram entries={entries} writable={{ added: 1, changed: 0, deleted: 2, live: true }} selected="rw" onSelect={() => {}} label="stack" />);
    const ids = [...html.matchAll(/data-testid="(layer-[^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['layer-rw', 'layer-2', 'layer-1', 'layer-0']);
    // The container's init layer sits between them, drawn thin: mount points, not a layer to pick.
    expect(html.indexOf('data-testid="init-layer"')).toBeGreaterThan(html.indexOf('layer-rw'));
    expect(html.indexOf('data-testid="init-layer"')).toBeLessThan(html.indexOf('layer-2'));
    expect(html).toContain('ENV A=1');
    expect(html).toContain('metadata only');
    expect(html).toContain('RUN step 2');
  });

  it('selects one layer at a time, as a listbox option', () => {
    const html = renderHtml(<StackDiagram entries={entries} selected={1} onSelect={() => {}} label="stack" />);
    expect(html.match(/aria-selected="true"/g)).toHaveLength(1);
    expect(html).toMatch(/aria-selected="true"[^>]*data-testid="layer-1"/);
    expect(html).not.toContain('layer-rw');
  });
});
