import { describe, expect, it } from 'vitest';
import { allCommands, restoreHistory, saveHistory, type ActionEntry } from './commandHistory';

const entries: ActionEntry[] = [
  { id: 3, command: 'strata stop 3f2a9c1e0b7d', status: 'running', started: 3000 },
  { id: 2, command: "strata run -d -it --name first starter:latest touch happiness.txt", status: 'done', started: 2000, ended: 2100, message: '3f2a9c1e0b7d' },
  { id: 1, command: 'strata bootstrap', status: 'failed', started: 1000, ended: 1500, message: 'no busybox' },
];

describe('command history', () => {
  it('survives a reload, with what was still running marked interrupted', () => {
    const back = restoreHistory(saveHistory(entries));
    expect(back.map((e) => [e.id, e.status])).toEqual([
      [3, 'interrupted'],
      [2, 'done'],
      [1, 'failed'],
    ]);
    expect(back[0].message).toBe('the page was reloaded before it ended');
    expect(back[1]).toEqual(entries[1]);
  });
  it('drops what is not an entry instead of trusting it', () => {
    expect(restoreHistory('not json')).toEqual([]);
    expect(restoreHistory('{"a":1}')).toEqual([]);
    expect(restoreHistory(JSON.stringify([{ id: 1, command: 5, status: 'done', started: 1 }, entries[1]]))).toEqual([entries[1]]);
  });
  it('copies every command oldest first, one per line', () => {
    expect(allCommands(entries)).toBe("strata bootstrap\nstrata run -d -it --name first starter:latest touch happiness.txt\nstrata stop 3f2a9c1e0b7d\n");
    expect(allCommands([])).toBe('');
  });
});
