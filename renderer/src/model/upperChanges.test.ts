import { describe, expect, it } from 'vitest';
import type { StackEntry } from '../../../engine/api';
import { addChange, emptyWrites, layerOfChain } from './upperChanges';

const entries: StackEntry[] = [
  { kind: 'layer', layerIndex: 0, createdBy: 'ADD', created: '', comment: '', size: 1, chainId: 'sha256:aaa' },
  { kind: 'metadata', layerIndex: null, createdBy: 'CMD', created: '', comment: '', size: 0 },
  { kind: 'layer', layerIndex: 1, createdBy: 'RUN', created: '', comment: '', size: 1, chainId: 'sha256:bbb' },
];

describe('live writes', () => {
  it('places a hidden copy on the image layer that had it, by chain id', () => {
    expect(layerOfChain(entries, 'sha256:bbb')).toBe(1);
    expect(layerOfChain(entries, 'aaa')).toBe(0);
    expect(layerOfChain(entries, 'sha256:zzz')).toBeUndefined();
    expect(layerOfChain(entries, undefined)).toBeUndefined();
  });

  it('keeps the newest first, counts each kind, and notes what is no longer followed', () => {
    let s = emptyWrites();
    s = addChange(s, { action: 'copied-up', path: '/etc/passwd', kind: 'file', time: 1, hides: 'sha256:aaa' });
    s = addChange(s, { action: 'whiteout', path: '/etc/group', kind: 'file', time: 2, hides: 'sha256:bbb' });
    s = addChange(s, { action: 'added', path: '/home/hello.txt', kind: 'file', time: 3 });
    s = addChange(s, { action: 'unwatched', path: '/big', kind: 'dir', time: 4, reason: 'watch limit reached' });
    expect(s.writes.map((w) => [w.action, w.path, layerOfChain(entries, w.hides)])).toEqual([
      ['added', '/home/hello.txt', undefined],
      ['whiteout', '/etc/group', 1],
      ['copied-up', '/etc/passwd', 0],
    ]);
    expect(s.tally).toMatchObject({ added: 1, 'copied-up': 1, whiteout: 1, modified: 0 });
    expect(s.unwatched).toEqual([{ path: '/big', reason: 'watch limit reached' }]);
    for (let i = 0; i < 20; i++) s = addChange(s, { action: 'modified', path: `/f${i}`, kind: 'file', time: 5 + i }, 10);
    expect(s.writes).toHaveLength(10);
    expect(s.writes[0].path).toBe('/f19');
    expect(s.tally.modified).toBe(20);
  });
});
