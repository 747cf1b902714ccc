// A transfer's progress goes two ways, as a build's does: to whoever opened
// the pull or push stream, and into the event log as `pull` / `push` events
// (one per message, the message's type as the action), so the app or
// `strata events` can follow a transfer it did not start. Byte counts are
// sent at most every 100 ms per layer, and always when a layer's state
// changes.

import { randomBytes } from 'node:crypto';
import type { LayerStatus, PullMessage, PushMessage } from '../api';
import { nowNanos, type EventLog } from '../store/events';

const interval = 100;

export const shortDigest = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

export class TransferProgress<M extends PullMessage | PushMessage> {
  readonly id = randomBytes(16).toString('hex');
  private readonly last = new Map<string, { at: number; bytes: number; rate: number }>();

  constructor(
    private readonly events: EventLog,
    private readonly kind: 'pull' | 'push',
    private readonly send: (m: M) => void,
  ) {}

  emit(message: M): void {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(message)) {
      if (k === 'type') continue;
      attributes[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    this.events.record({ type: this.kind, action: message.type, id: this.id, time: nowNanos(), attributes });
    this.send(message);
  }

  status(text: string, id?: string): void {
    this.emit({ type: 'status', text, ...(id !== undefined ? { id } : {}) } as M);
  }

  /** A layer's new state (always sent); `digest` names the layer, `id` is what Docker prints for it. */
  layer(digest: string, status: LayerStatus, id = shortDigest(digest), bytes?: { current: number; total: number }): void {
    this.emit({ type: 'layer', id, digest, status, ...(bytes ?? {}) } as M);
    this.last.delete(digest);
  }

  /** Bytes moved: sent when 100 ms passed since the layer's last message, or when done. */
  bytes(digest: string, status: 'Downloading' | 'Extracting' | 'Pushing', current: number, total: number, id = shortDigest(digest)): void {
    const now = Date.now();
    const prev = this.last.get(digest);
    if (prev && now - prev.at < interval && current < total) return;
    const rate = prev && now > prev.at ? ((current - prev.bytes) * 1000) / (now - prev.at) : 0;
    // Smoothed, so the app's speed does not jitter with every chunk.
    const bytesPerSecond = prev && prev.rate > 0 ? Math.round(prev.rate * 0.6 + rate * 0.4) : Math.round(rate);
    this.last.set(digest, { at: now, bytes: current, rate: bytesPerSecond });
    this.emit({ type: 'layer', id, digest, status, current, total, bytesPerSecond } as M);
  }
}
