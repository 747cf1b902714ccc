// The event log: every state change is a row, in order. Subscribers in this
// process hear of a row at once; rows written by other processes (a CLI in
// another terminal) are picked up by watching the database's WAL file, which
// every commit touches, with a slow poll as a safety net.

import fs from 'node:fs';
import type { EngineEvent } from '../api';
import type { Db } from './db';

export type StoredEvent = EngineEvent & { seq: number };

interface RawEvent {
  seq: number;
  time: number;
  type: string;
  action: string;
  id: string;
  attributes: string;
}

function fromRaw(r: RawEvent): StoredEvent {
  const attributes = JSON.parse(r.attributes) as Record<string, string>;
  if (r.type === 'kernel') return { seq: r.seq, type: 'kernel', step: r.action, id: r.id, time: r.time, detail: attributes };
  return { seq: r.seq, type: r.type as 'container' | 'image' | 'build' | 'pull' | 'push' | 'network' | 'volume', action: r.action, id: r.id, time: r.time, attributes };
}

/** Unix time in nanoseconds (millisecond resolution is all Date gives; hrtime fills the rest monotonically). */
export function nowNanos(): number {
  return Date.now() * 1e6 + (Number(process.hrtime.bigint() % 1_000_000n));
}

export class EventLog {
  private readonly insertStmt;
  private readonly afterStmt;
  private readonly sinceStmt;
  private readonly lastStmt;
  private readonly listeners = new Set<(e: StoredEvent) => void>();
  private watcher?: fs.FSWatcher;
  private poll?: NodeJS.Timeout;
  private cursor = 0;
  private delivering = false;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly dbFile: string,
  ) {
    this.insertStmt = db.prepare('INSERT INTO events (time, type, action, id, attributes) VALUES (?, ?, ?, ?, ?)');
    this.afterStmt = db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq');
    this.sinceStmt = db.prepare('SELECT * FROM events WHERE time >= ? ORDER BY seq');
    this.lastStmt = db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events');
  }

  record(event: EngineEvent): void {
    const action = event.type === 'kernel' ? event.step : event.action;
    const attrs = event.type === 'kernel' ? event.detail : event.attributes;
    this.insertStmt.run(event.time, event.type, action, event.id, JSON.stringify(attrs));
    if (this.listeners.size > 0) this.deliverNew();
  }

  /** Stored events from `sinceNanos` on, oldest first. */
  since(sinceNanos: number): StoredEvent[] {
    return (this.sinceStmt.all(sinceNanos) as RawEvent[]).map(fromRaw);
  }

  /** Live events (from any process) until the returned function is called. */
  subscribe(listener: (e: StoredEvent) => void): () => void {
    if (this.listeners.size === 0) this.startWatching();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  }

  close(): void {
    this.listeners.clear();
    this.stopWatching();
  }

  private startWatching(): void {
    this.cursor = (this.lastStmt.get() as { seq: number }).seq;
    try {
      this.watcher = fs.watch(`${this.dbFile}-wal`, () => this.deliverNew());
    } catch {
      // No WAL file yet: the poll below still delivers.
    }
    this.poll = setInterval(() => this.deliverNew(), 100);
    this.poll.unref();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }

  /**
   * Hands each new row to the listeners, once and in order. A listener may
   * record events itself (an exit it noticed): those are delivered after
   * the rows already read, by this same loop, never by a nested one.
   */
  private deliverNew(): void {
    if (this.delivering) {
      this.again = true;
      return;
    }
    this.delivering = true;
    try {
      do {
        this.again = false;
        for (const r of this.afterStmt.all(this.cursor) as RawEvent[]) {
          this.cursor = r.seq;
          const e = fromRaw(r);
          for (const l of this.listeners) l(e);
        }
      } while (this.again);
    } finally {
      this.delivering = false;
    }
  }
}
