import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../../engine/api';
import { dirsWithChanges, flattenTree, layerTag, parentDir, writableMark, type Listing } from './mergedTree';

const e = (path: string, over: Partial<TreeEntry> = {}): TreeEntry => ({
  name: path.slice(path.lastIndexOf('/') + 1),
  path,
  type: 'file',
  size: 1,
  layer: 0,
  hides: [],
  mergedWith: [],
  deleted: false,
  opaque: false,
  ...over,
});
const ready = (...entries: TreeEntry[]): Listing => ({ status: 'ready', entries });

describe('flattenTree', () => {
  const listings = new Map<string, Listing>([
    ['/', ready(e('/bin', { type: 'dir' }), e('/etc', { type: 'dir' }), e('/gone', { deleted: true, layer: 2 }))],
    ['/etc', ready(e('/etc/hosts'), e('/etc/ssl', { type: 'dir' }))],
    ['/etc/ssl', { status: 'loading' }],
  ]);

  it('lists only the open directories, depth first', () => {
    const rows = flattenTree('/', listings, new Set(['/etc']));
    expect(rows.map((r) => (r.kind === 'entry' ? `${r.depth}:${r.entry.path}` : `${r.depth}:${r.text}`))).toEqual([
      '0:/bin',
      '0:/etc',
      '1:/etc/hosts',
      '1:/etc/ssl',
    ]);
  });

  it('shows a loading row under a directory being listed', () => {
    const rows = flattenTree('/', listings, new Set(['/etc', '/etc/ssl']));
    expect(rows.at(-1)).toMatchObject({ kind: 'status', depth: 2, text: 'Loading…' });
  });

  it('hides deleted paths unless asked', () => {
    expect(flattenTree('/', listings, new Set()).some((r) => r.kind === 'entry' && r.entry.deleted)).toBe(false);
    expect(flattenTree('/', listings, new Set(), { showDeleted: true }).some((r) => r.kind === 'entry' && r.entry.deleted)).toBe(true);
  });

  it('flattens 20,000 entries quickly', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => e(`/data/f${i}`));
    const big = new Map<string, Listing>([
      ['/', ready(e('/data', { type: 'dir' }))],
      ['/data', ready(...many)],
    ]);
    const t = performance.now();
    const rows = flattenTree('/', big, new Set(['/data']));
    expect(rows.length).toBe(20_001);
    expect(performance.now() - t).toBeLessThan(50);
  });
});

describe('writable layer marks', () => {
  it('marks what the writable layer added, changed and deleted', () => {
    expect(writableMark(e('/new', { layer: 'rw' }))).toBe('A');
    expect(writableMark(e('/etc/hosts', { layer: 'rw', hides: [0] }))).toBe('C');
    expect(writableMark(e('/tmp', { type: 'dir', layer: 'rw', mergedWith: [0] }))).toBe('C');
    expect(writableMark(e('/bin/ls', { layer: 'rw', deleted: true, hides: [0] }))).toBe('D');
    expect(writableMark(e('/bin/sh'))).toBeUndefined();
  });

  it('knows which directories hold changes', () => {
    const dirs = dirsWithChanges([
      { kind: 'A', path: '/home/user/happiness.txt' },
      { kind: 'D', path: '/etc/motd' },
    ]);
    expect([...dirs].sort()).toEqual(['/', '/etc', '/home', '/home/user']);
  });

  it('names every layer of a container in short', () => {
    expect([0, 3, 'init', 'rw'].map((r) => layerTag(r as 0))).toEqual(['L0', 'L3', 'INIT', 'RW']);
    expect(writableMark(e('/etc/hostname', { layer: 'init' }))).toBeUndefined();
  });

  it('finds parent directories', () => {
    expect(parentDir('/etc/hosts')).toBe('/etc');
    expect(parentDir('/etc')).toBe('/');
  });
});
