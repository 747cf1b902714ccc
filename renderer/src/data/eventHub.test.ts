import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../engine/api';
import type { StreamCallbacks } from '../../../engine/rpc/client';
import { EventHub, type HubMessage } from './eventHub';

/** A client whose event stream and connection the test drives by hand. */
function fakeEngine() {
  const streams: Array<{ cb: StreamCallbacks<EngineEvent>; closed: boolean }> = [];
  let status: ((s: 'open' | 'lost') => void) | undefined;
  return {
    streams,
    client: {
      call: () => Promise.reject(new Error('unused')),
      open: (_name: string, _arg: unknown, cb: StreamCallbacks<EngineEvent>) => {
        const s = { cb, closed: false };
        streams.push(s);
        return { send() {}, close: () => void (s.closed = true) };
      },
      onStatus(l: (s: 'open' | 'lost') => void) {
        status = l;
        return () => (status = undefined);
      },
    } as never,
    setStatus: (s: 'open' | 'lost') => status?.(s),
  };
}

const pause: EngineEvent = { type: 'container', action: 'pause', id: 'abc', time: 1, attributes: {} };

describe('EventHub', () => {
  it('opens one event stream and fans its events out to every listener', () => {
    const e = fakeEngine();
    const hub = new EventHub(e.client);
    hub.start();
    const a: HubMessage[] = [];
    const b: HubMessage[] = [];
    hub.subscribe((m) => a.push(m));
    const stopB = hub.subscribe((m) => b.push(m));
    e.streams[0].cb.onMessage(pause);
    stopB();
    e.streams[0].cb.onMessage(pause);
    expect(e.streams).toHaveLength(1);
    expect(a).toEqual([pause, pause]);
    expect(b).toEqual([pause]);
    expect(hub.status).toBe('live');
  });

  it('reopens the stream after a lost connection and tells listeners to re-read', () => {
    const e = fakeEngine();
    const hub = new EventHub(e.client);
    const statuses: string[] = [];
    hub.onStatus((s) => statuses.push(s));
    hub.start();
    const got: HubMessage[] = [];
    hub.subscribe((m) => got.push(m));
    e.setStatus('lost');
    e.streams[0].cb.onEnd({ name: 'EngineError', code: 'Unavailable', message: 'lost' });
    e.setStatus('open');
    expect(e.streams).toHaveLength(2);
    expect(e.streams[0].closed).toBe(true);
    expect(got).toEqual([{ type: 'resync' }]);
    expect(statuses).toEqual(['live', 'lost', 'live']);
  });

  it('closes its stream when stopped', () => {
    const e = fakeEngine();
    const hub = new EventHub(e.client);
    hub.start();
    hub.stop();
    expect(e.streams[0].closed).toBe(true);
  });
});
