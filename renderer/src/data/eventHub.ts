// One subscription to the engine's event stream for the whole app, fanned
// out to every view that wants to hear of changes. When the connection drops
// and comes back, the stream is reopened and every listener is told to
// resync: events sent while away are not replayed, so views re-read.

import type { EngineEvent } from '../../../engine/api';
import type { EngineClient, StreamHandle } from '../../../engine/rpc/client';

export type HubMessage = EngineEvent | { type: 'resync' };
export type HubStatus = 'connecting' | 'live' | 'lost';

export interface StatusSource {
  onStatus?(listener: (status: 'open' | 'lost') => void): () => void;
}

export class EventHub {
  private readonly listeners = new Set<(m: HubMessage) => void>();
  private readonly statusListeners = new Set<(s: HubStatus) => void>();
  private handle?: StreamHandle<never>;
  private current: HubStatus = 'connecting';
  private stopStatus?: () => void;
  /** When the last event arrived (performance.now()), for the live indicator. */
  lastEventAt = 0;

  constructor(private readonly client: EngineClient & StatusSource) {}

  start(): void {
    this.stopStatus = this.client.onStatus?.((s) => {
      if (s === 'lost') this.setStatus('lost');
      else {
        this.open();
        this.emit({ type: 'resync' });
      }
    });
    this.open();
  }

  stop(): void {
    this.stopStatus?.();
    this.handle?.close();
    this.handle = undefined;
  }

  get status(): HubStatus {
    return this.current;
  }

  subscribe(listener: (m: HubMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (s: HubStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private open(): void {
    this.handle?.close();
    this.handle = this.client.open('events', {}, {
      onMessage: (e) => {
        this.lastEventAt = performance.now();
        this.setStatus('live');
        this.emit(e);
      },
      onEnd: () => this.setStatus('lost'),
    }) as StreamHandle<never>;
    this.setStatus('live');
  }

  private emit(m: HubMessage): void {
    for (const l of [...this.listeners]) l(m);
  }

  private setStatus(s: HubStatus): void {
    if (s === this.current) return;
    this.current = s;
    for (const l of [...this.statusListeners]) l(s);
  }
}
