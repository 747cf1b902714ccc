import { describe, expect, it } from 'vitest';
import type { ContainerStats, StatsSample } from '../../../engine/api';
import { addSample, cpuCeiling, emptySeries, keptPoints, memoryCeiling, memoryPressure, pidsCeiling } from './statsSeries';

const mib = 1024 * 1024;
const stats = (o: Partial<ContainerStats>): ContainerStats => ({
  id: 'c1',
  name: 'hog',
  running: true,
  cpuPercent: 10,
  memoryUsage: 5 * mib,
  memoryLimit: 20 * mib,
  memoryPercent: 25,
  netRx: 0,
  netTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 1,
  pidsLimit: 64,
  oomKills: 0,
  ...o,
});
const sample = (time: number, c: Partial<ContainerStats>): StatsSample => ({ time, containers: [stats(c)] });

describe('a container’s stats series', () => {
  it('follows the memory up to its limit, and marks the OOM kill', () => {
    let s = emptySeries;
    s = addSample(s, sample(1000, { memoryUsage: 5 * mib }), 'c1', true);
    s = addSample(s, sample(2000, { memoryUsage: 17 * mib }), 'c1', true);
    expect(memoryPressure(s)).toBe('near');
    s = addSample(s, sample(3000, { memoryUsage: 19.9 * mib }), 'c1', true);
    expect(memoryPressure(s)).toBe('at');
    s = addSample(s, sample(4000, { memoryUsage: 2 * mib, oomKills: 1 }), 'c1', true);
    expect(s.oomKills).toEqual([4000]);
    expect(s.points.map((p) => p.memoryUsage)).toEqual([5, 17, 19.9, 2].map((m) => m * mib));
    expect(memoryCeiling(s)).toBeCloseTo(22 * mib);
    expect(pidsCeiling(s)).toBeCloseTo(64 * 1.1);
  });

  it('takes no limit for one without its own (the engine reports the machine’s memory)', () => {
    const s = addSample(emptySeries, sample(1000, { memoryUsage: 4 * mib, memoryLimit: 8192 * mib }), 'c1', false);
    expect([s.memoryLimit, s.machineMemory]).toEqual([null, 8192 * mib]);
    expect(memoryCeiling(s)).toBe(5 * mib);
    expect(memoryPressure(s)).toBe('ok');
  });

  it('stops while the container is not running, and keeps two minutes of points', () => {
    let s = emptySeries;
    for (let i = 0; i < keptPoints + 10; i++) s = addSample(s, sample(i * 1000, { cpuPercent: i === 5 ? 250 : 10 }), 'c1', true);
    expect(s.points.length).toBe(keptPoints);
    expect(s.points[0].time).toBe(10_000);
    expect(cpuCeiling(s)).toBeCloseTo(110);
    s = addSample(s, { time: 999_000, containers: [stats({ running: false })] }, 'c1', true);
    expect([s.running, s.latest, s.points.length]).toEqual([false, null, keptPoints]);
  });
});
