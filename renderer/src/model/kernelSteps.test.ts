import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../engine/api';
import { appendRow, operationRow, rowsFor, stepRow, type TimelineRow } from './kernelSteps';

let clock = 1e18;
const kernel = (step: string, id: string, detail: Record<string, string>): Extract<EngineEvent, { type: 'kernel' }> => ({ type: 'kernel', step, id, time: (clock += 1000), detail });
const op = (action: string, id: string): Exclude<EngineEvent, { type: 'kernel' }> => ({ type: 'container', action, id, time: (clock += 1000), attributes: { name: 'box' } });

describe('kernel steps for the timeline', () => {
  it('keeps the real values apart from the shell command, and says what matters in one line', () => {
    const mount = stepRow(
      kernel('mount', 'c1', {
        type: 'overlay',
        source: 'overlay',
        target: '/root/containers/c1/merged',
        data: 'lowerdir=l/A,upperdir=/root/containers/c1/upper,workdir=/root/containers/c1/work',
        command: 'cd /root/layers && mount -t overlay overlay -o lowerdir=l/A,upperdir=/root/containers/c1/upper,workdir=/root/containers/c1/work /root/containers/c1/merged',
      }),
      1,
    );
    expect(mount.command).toMatch(/^cd \/root\/layers && mount -t overlay/);
    expect(mount.values.map(([k]) => k)).toEqual(['type', 'source', 'target', 'data']);
    expect(mount.headline).toBe('overlay on /root/containers/c1/merged');
    expect(stepRow(kernel('signal', 'c1', { signal: 'SIGKILL', number: '9', pid: '4242', reason: 'stop-timeout', command: 'kill -KILL 4242' }), 2).headline).toBe(
      'SIGKILL to pid 4242 (stop-timeout)',
    );
    expect(stepRow(kernel('freeze', 'c1', { file: '/sys/fs/cgroup/freezer/s/c1/freezer.state', state: 'FROZEN' }), 3).headline).toBe(
      'FROZEN → /sys/fs/cgroup/freezer/s/c1/freezer.state',
    );
    expect(stepRow(kernel('namespaces', 'c1', { pid: 'pid:[1]', 'host.pid': 'pid:[2]', net: 'net:[3]', 'host.net': 'net:[3]' }), 4).headline).toBe(
      'pid:[1] (host [2]) · net:[3] (host [3])',
    );
    // A step the engine adds later still shows, under its own name.
    expect(stepRow(kernel('brand_new', 'c1', { what: 'x' }), 5)).toMatchObject({ words: 'brand_new', headline: 'what: x', command: undefined });
  });

  it('heads the steps an operation did, which the engine reports before the operation itself', () => {
    let rows: TimelineRow[] = [];
    const add = (r: TimelineRow | undefined) => (rows = appendRow(rows, r!));
    add(stepRow(kernel('mount', 'c1', { type: 'overlay', target: '/m' }), 1));
    add(stepRow(kernel('pivot_root', 'c1', { new_root: '/m' }), 2));
    add(operationRow(op('start', 'c1'), 3));
    add(stepRow(kernel('signal', 'c1', { signal: 'SIGTERM', pid: '1' }), 4));
    add(operationRow(op('kill', 'c1'), 5));
    add(operationRow(op('die', 'c1'), 6));
    expect(rows.map((r) => (r.kind === 'operation' ? r.title : r.step))).toEqual([
      'container start', 'mount', 'pivot_root', 'container kill', 'signal', 'container die',
    ]);
    // An operation that did no kernel work is not a heading of someone else's steps.
    expect(operationRow(op('rename', 'c1'), 7)).toBeUndefined();
  });

  it('keeps the newest rows, and picks one object’s', () => {
    let rows: TimelineRow[] = [];
    for (let i = 0; i < 10; i++) rows = appendRow(rows, stepRow(kernel('mount', i % 2 ? 'sha256:aa' : 'c2', {}), i), 6);
    expect(rows).toHaveLength(6);
    expect(rowsFor(rows, 'aa').every((r) => r.id === 'sha256:aa')).toBe(true);
    expect(rowsFor(rows, 'aa')).toHaveLength(3);
    expect(rowsFor(rows, undefined)).toHaveLength(6);
  });
});
