import { describe, expect, it } from 'vitest';
import type { ContainerProcess } from '../../../../engine/api';
import { processForest } from './ProcessSpace';

const p = (pid: number, nsPid: number, ppid: number, cmd: string): ContainerProcess => ({ pid, nsPid, ppid, cmd, user: 'root' });

describe('processForest', () => {
  it('hangs each process under its parent, PID 1 at the root', () => {
    const forest = processForest([p(502, 7, 500, 'sleep 5'), p(500, 1, 400, 'sh'), p(501, 3, 500, 'top')]);
    expect(forest.map((n) => n.p.nsPid)).toEqual([1]);
    expect(forest[0].children.map((n) => n.p.cmd)).toEqual(['top', 'sleep 5']);
  });

  it('shows an exec’d process beside PID 1: its parent is outside the container', () => {
    const forest = processForest([p(500, 1, 400, 'sh'), p(600, 9, 450, 'sh')]);
    expect(forest.map((n) => n.p.nsPid)).toEqual([1, 9]);
  });
});
