// A stop or kill as it happens, for the container view: which signal went
// to the container's processes and when, the grace period a stop gives
// before its SIGKILL, that SIGKILL if it came, and the exit. Built from the
// engine's own events (`kill` with the signal's number, `die` with the exit
// code), so a `strata stop` typed in a terminal shows the same way, and from
// what the app knows when its own Stop is pressed (the grace it asked for).

import type { EngineEvent } from '../../../engine/api';
import { signalNumber } from './signals';

export interface StopWatch {
  /** stop: the stop signal, a grace period, then SIGKILL. kill: one signal, no grace. */
  kind: 'stop' | 'kill';
  signal: number;
  sentAt: number; // ms since the epoch
  /** A stop's grace period; for a signal seen from elsewhere, the container's own stop timeout. */
  graceMs?: number;
  /** When the stop's SIGKILL went out, its grace period over. */
  killedAt?: number;
  exit?: { code: number; at: number };
  /** The signal was seen in the engine's events (not only pressed here). */
  confirmed: boolean;
}

/** What the container's configuration says a stop sends and waits. */
export interface StopConfig {
  stopSignal?: string;
  stopTimeout?: number;
}

export const defaultStopTimeout = 10;

export function stopSignalOf(config: StopConfig): number {
  return signalNumber(config.stopSignal ?? 'SIGTERM') ?? 15;
}

/** The app pressed Stop (timeout: what it asked for, else the container's own, else 10 s) or Kill. */
export function pressed(kind: 'stop' | 'kill', config: StopConfig, now: number, signal?: number): StopWatch {
  if (kind === 'kill') return { kind, signal: signal ?? 9, sentAt: now, confirmed: false };
  const grace = config.stopTimeout ?? defaultStopTimeout;
  return { kind, signal: stopSignalOf(config), sentAt: now, graceMs: grace * 1000, confirmed: false };
}

/** One more event about this container. `config` says what a stop started elsewhere would do. */
export function watchEvent(w: StopWatch | null, e: EngineEvent, config: StopConfig): StopWatch | null {
  if (e.type !== 'container') return w;
  const at = Math.floor(e.time / 1e6);
  if (e.action === 'kill') {
    const signal = Number(e.attributes.signal);
    if (w && !w.exit && w.kind === 'stop' && signal === 9 && w.signal !== 9) return { ...w, killedAt: at };
    if (w && !w.exit && !w.confirmed && w.signal === signal) return { ...w, sentAt: Math.min(w.sentAt, at), confirmed: true };
    if (w && !w.exit && w.confirmed && w.signal === signal) return w;
    // A signal from elsewhere: the stop signal is taken for a stop (its grace follows), any other for a kill.
    const stop = signal !== 9 && signal === stopSignalOf(config);
    return {
      kind: stop ? 'stop' : 'kill',
      signal,
      sentAt: at,
      ...(stop ? { graceMs: (config.stopTimeout ?? defaultStopTimeout) * 1000 } : {}),
      confirmed: true,
    };
  }
  if (e.action === 'die' && w && !w.exit) return { ...w, exit: { code: Number(e.attributes.exitCode), at } };
  // A new run: what was watched is over.
  if (e.action === 'start') return null;
  return w;
}

/** Milliseconds left of a stop's grace period at `now` (0 once over); undefined for a kill or after the exit. */
export function graceLeft(w: StopWatch, now: number): number | undefined {
  if (w.kind !== 'stop' || w.graceMs === undefined || w.exit || w.killedAt !== undefined) return undefined;
  return Math.max(0, w.sentAt + w.graceMs - now);
}
