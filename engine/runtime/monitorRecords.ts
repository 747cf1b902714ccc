// What a container's monitor tells the engine after the start: the records
// it appends to run/<id>/kernel.jsonl, read from where the engine left off
// (containers.monitor_offset). Most are kernel steps (mount, clone, exit...)
// and become `kernel` events; three are the container's own news, which
// Docker's daemon would have told when there is no daemon to tell them:
//   restarting  the process ended and the restart policy starts it again:
//               state restarting, RestartCount, a `die` event
//   restarted   the new process runs: state running, its pid, a `start` event
//   health_status  the health check's verdict changed: Docker's
//               `health_status: healthy` event
// Every process that opens the store may read them at once (the app and a
// CLI); the offset moves in the same transaction as the events are recorded,
// so each record is taken exactly once. The health check's results are in
// containers/<id>/health.json, read as they are.

import fs from 'node:fs';
import path from 'node:path';
import type { ContainerHealthJson } from '../inspect';
import type { ContainerRow } from '../store/containers';
import { nowNanos } from '../store/events';
import { containerEvent, type RuntimeContext } from './context';

interface MonitorRecord {
  step: string;
  detail: Record<string, string>;
}

const recordsFile = (ctx: RuntimeContext, id: string) => path.join(ctx.paths.runDir(id), 'kernel.jsonl');

/** Complete lines from `offset` on, and how many bytes they span. */
function readRecords(file: string, offset: number): { records: MonitorRecord[]; consumed: number } {
  let bytes: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      bytes = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { records: [], consumed: 0 };
  }
  const end = bytes.lastIndexOf(0x0a) + 1;
  const records: MonitorRecord[] = [];
  for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
    if (!line) continue;
    try {
      const r = JSON.parse(line) as MonitorRecord;
      if (typeof r.step === 'string' && typeof r.detail === 'object' && r.detail !== null) records.push(r);
    } catch {
      // A record cut short by a crash: the rest are still worth taking.
    }
  }
  return { records, consumed: end };
}

/** The monitor's RFC 3339 time as unix nanoseconds (now when absent). */
function timeOf(r: MonitorRecord): number {
  const text = r.detail.time;
  if (!text) return nowNanos();
  const ms = Date.parse(text);
  const frac = /\.(\d+)Z$/.exec(text)?.[1] ?? '';
  return Number.isNaN(ms) ? nowNanos() : Math.floor(ms / 1000) * 1e9 + Number(frac.padEnd(9, '0').slice(0, 9));
}

function apply(ctx: RuntimeContext, row: ContainerRow, r: MonitorRecord): void {
  const time = timeOf(r);
  const now = ctx.containers.get(row.id)!;
  if (r.step === 'restarting') {
    const exitCode = Number(r.detail.exitCode);
    const moved = ctx.containers.transition(row.id, ['running', 'paused'], {
      state: 'restarting',
      exitCode,
      finishedAt: time,
      pid: 0,
      restartCount: Number(r.detail.restartCount) || now.restartCount + 1,
    });
    if (moved) containerEvent(ctx, now, 'die', { exitCode: String(exitCode) }, time);
  } else if (r.step === 'restarted') {
    const moved = ctx.containers.transition(row.id, ['restarting'], { state: 'running', pid: Number(r.detail.pid), startedAt: time, error: '' });
    if (moved) containerEvent(ctx, now, 'start', {}, time);
  } else if (r.step === 'health_status') {
    if (r.detail.status) containerEvent(ctx, now, `health_status: ${r.detail.status}`, {}, time);
  } else {
    ctx.events.record({ type: 'kernel', step: r.step, id: row.id, time, detail: r.detail });
  }
}

/**
 * Takes what the container's monitor recorded since the engine last looked;
 * returns the row as it is now (undefined once removed). Cheap when there is
 * nothing new: one stat (given the row as just read, no query either).
 */
export function syncMonitor(ctx: RuntimeContext, rowOrId: ContainerRow | string): ContainerRow | undefined {
  const row = typeof rowOrId === 'string' ? ctx.containers.get(rowOrId) : rowOrId;
  if (!row || row.monitorPid <= 0) return row;
  const id = row.id;
  const file = recordsFile(ctx, id);
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size <= row.monitorOffset) return row;
  return ctx.containers.atomically(() => {
    const fresh = ctx.containers.get(id);
    // Started again by someone else meanwhile: the file is that start's.
    if (!fresh || fresh.monitorPid !== row.monitorPid) return fresh;
    const { records, consumed } = readRecords(file, fresh.monitorOffset);
    // The offset moves first: whoever hears of these events (in this process, at once) and looks
    // again must find nothing new, or the same records would be taken twice.
    ctx.containers.transition(id, [fresh.state], { monitorOffset: fresh.monitorOffset + consumed });
    for (const r of records) apply(ctx, fresh, r);
    return ctx.containers.get(id);
  });
}

/** State.Health as the monitor last wrote it; undefined for a container whose check never ran. */
export function readHealth(ctx: RuntimeContext, row: ContainerRow): ContainerHealthJson | undefined {
  if (!row.spec.Config.Healthcheck) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(ctx.paths.containerDir(row.id), 'health.json'), 'utf8')) as ContainerHealthJson;
  } catch {
    return undefined;
  }
}
