import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../engine/api';
import { graceLeft, pressed, watchEvent } from './stopWatch';

const ev = (action: string, at: number, attributes: Record<string, string> = {}): EngineEvent => ({
  type: 'container',
  action,
  id: 'c1',
  time: at * 1e6,
  attributes,
});

describe('stop watch', () => {
  it('follows a stop: SIGTERM, the grace counting down, SIGKILL, exit 137', () => {
    let w = pressed('stop', {}, 1000);
    expect(w).toMatchObject({ kind: 'stop', signal: 15, graceMs: 10_000 });
    w = watchEvent(w, ev('kill', 1010, { signal: '15' }), {})!;
    expect(w.confirmed).toBe(true);
    expect(graceLeft(w, 4000)).toBe(7000);
    expect(graceLeft(w, 20_000)).toBe(0);
    w = watchEvent(w, ev('kill', 11_000, { signal: '9' }), {})!;
    expect(w.killedAt).toBe(11_000);
    expect(graceLeft(w, 11_500)).toBeUndefined();
    w = watchEvent(w, ev('die', 11_020, { exitCode: '137' }), {})!;
    expect(w.exit).toEqual({ code: 137, at: 11_020 });
  });
  it('uses the container’s own stop signal and timeout', () => {
    expect(pressed('stop', { stopSignal: 'SIGINT', stopTimeout: 3 }, 0)).toMatchObject({ signal: 2, graceMs: 3000 });
  });
  it('takes a stop signal from elsewhere for a stop, SIGKILL for a kill, and forgets both at the next start', () => {
    const stop = watchEvent(null, ev('kill', 5, { signal: '15' }), { stopTimeout: 2 });
    expect(stop).toMatchObject({ kind: 'stop', graceMs: 2000, sentAt: 5 });
    const kill = watchEvent(null, ev('kill', 5, { signal: '9' }), {});
    expect(kill).toMatchObject({ kind: 'kill', signal: 9 });
    expect(graceLeft(kill!, 10)).toBeUndefined();
    expect(watchEvent(kill, ev('start', 9), {})).toBeNull();
  });
});
