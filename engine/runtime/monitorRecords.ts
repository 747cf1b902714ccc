// What a container's monitor tells the engine: the records it appends to
// run/<id>/kernel.jsonl, read from where the engine left off
// (containers.monitor_offset). Most are kernel steps and become `kernel`
// events: a launch's (clone … exec) enriched by kernelSteps.ts with what the
// engine did around it (run/<id>/launch.json), all at the time of the start
// they made; an exit's (exit, exec_failed, the network's teardown) at the
// time of that exit. Three are the container's own news, which Docker's
// daemon would have told when there is no daemon to tell them:
//   restarting  the process ended and the restart policy starts it again:
//               state restarting, RestartCount, a `die` event
//   restarted   the new process runs (its launch's records just before):
//               state running, its pid, a `start` event
//   health_status  the health check's verdict changed: Docker's
//               `health_status: healthy` event
// Every process that opens the store may read them at once (the app and a
// CLI); the offset moves in the same transaction as the events are recorded,
// so each record is taken exactly once. A launch is taken whole: one still
// under way is left for the next look. The health check's results are in
// containers/<id>/health.json, read as they are.

import fs from 'node:fs';
import path from 'node:path';
import type { ContainerHealthJson } from '../inspect';
import type { ContainerRow } from '../store/containers';
import { nowNanos } from '../store/events';
import { containerEvent, kernelEvent, type RuntimeContext } from './context';
import { launcherSteps, type KernelRecord, type StartContext } from './kernelSteps';

/** A record and the offset in the file just past its line. */
interface PlacedRecord extends KernelRecord {
  end: number;
}

const recordsFile = (runDir: string) => path.join(runDir, 'kernel.jsonl');
const startContextFile = (ctx: RuntimeContext, id: string) => path.join(ctx.paths.runDir(id), 'launch.json');

/** Complete lines from `offset` on. */
function readRecords(file: string, offset: number): PlacedRecord[] {
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
    return [];
  }
  const records: PlacedRecord[] = [];
  for (let at = 0, nl = bytes.indexOf(0x0a); nl >= 0; at = nl + 1, nl = bytes.indexOf(0x0a, at)) {
    try {
      const r = JSON.parse(bytes.subarray(at, nl).toString('utf8')) as KernelRecord;
      if (typeof r.step === 'string' && typeof r.detail === 'object' && r.detail !== null) records.push({ step: r.step, detail: r.detail, end: offset + nl + 1 });
    } catch {
      // A record cut short by a crash: the rest are still worth taking.
    }
  }
  return records;
}

/** Every record of a run dir's file as it is (the teaching benchmark replays them). */
export const readMonitorRecords = (runDir: string): KernelRecord[] => readRecords(recordsFile(runDir), 0);

/** What the engine did around this start's launch, for whichever engine takes its records. */
export function saveStartContext(ctx: RuntimeContext, id: string, start: StartContext): void {
  fs.writeFileSync(startContextFile(ctx, id), JSON.stringify(start));
}

/** Undefined for a run dir an engine without launch.json made: its records are then told as they are. */
function loadStartContext(ctx: RuntimeContext, id: string): StartContext | undefined {
  try {
    return JSON.parse(fs.readFileSync(startContextFile(ctx, id), 'utf8')) as StartContext;
  } catch {
    return undefined;
  }
}

/** The monitor's RFC 3339 time as unix nanoseconds (now when absent). */
function timeOf(r: KernelRecord): number {
  const text = r.detail.time;
  if (!text) return nowNanos();
  const ms = Date.parse(text);
  const frac = /\.(\d+)Z$/.exec(text)?.[1] ?? '';
  return Number.isNaN(ms) ? nowNanos() : Math.floor(ms / 1000) * 1e9 + Number(frac.padEnd(9, '0').slice(0, 9));
}

/**
 * The records as the parts they are told in. A launch runs from its clone
 * to its exec (a restart's, to the `restarted` after it); an exit from its
 * exec_failed or exit to the `restarting` that follows, else to the
 * monitor's end. A part not yet complete while the monitor runs ends what
 * can be taken now; `end` is the offset past the last record taken.
 */
type Part =
  | { kind: 'launch'; records: KernelRecord[]; relaunch: boolean; restarted?: KernelRecord }
  | { kind: 'exit'; records: KernelRecord[]; restarting?: KernelRecord }
  | { kind: 'record'; record: KernelRecord };

function splitParts(records: PlacedRecord[], restarting: boolean, ended: boolean): { parts: Part[]; end?: number } {
  const parts: Part[] = [];
  let end: number | undefined;
  for (let i = 0; i < records.length; ) {
    const r = records[i]!;
    const launch = r.step === 'clone';
    if (!launch && r.step !== 'exit' && r.step !== 'exec_failed') {
      if (r.step === 'restarting') restarting = true;
      parts.push({ kind: 'record', record: r });
      end = r.end;
      i++;
      continue;
    }
    const closer = launch ? (restarting ? 'restarted' : 'exec') : 'restarting';
    const last = records.findIndex((x, k) => k > i && x.step === closer);
    if (last < 0 && !ended) break;
    const stop = last < 0 ? records.length : last + 1;
    const group: KernelRecord[] = records.slice(i, stop).map(({ step, detail }) => ({ step, detail }));
    // The exec is the launch's own step; `restarted` and `restarting` are news told after their part.
    const closing = last >= 0 && closer !== 'exec' ? group.pop() : undefined;
    parts.push(launch ? { kind: 'launch', records: group, relaunch: restarting, restarted: closing } : { kind: 'exit', records: group, restarting: closing });
    restarting = !launch && closing !== undefined;
    end = records[stop - 1]!.end;
    i = stop;
  }
  return { parts, end };
}

/** The container's own news: a restart's two halves, a health verdict. */
function tell(ctx: RuntimeContext, id: string, r: KernelRecord): void {
  const time = timeOf(r);
  const now = ctx.containers.get(id)!;
  if (r.step === 'restarting') {
    const exitCode = Number(r.detail.exitCode);
    const moved = ctx.containers.transition(id, ['running', 'paused'], {
      state: 'restarting',
      exitCode,
      finishedAt: time,
      pid: 0,
      restartCount: Number(r.detail.restartCount) || now.restartCount + 1,
    });
    if (moved) containerEvent(ctx, now, 'die', { exitCode: String(exitCode) }, time);
  } else if (r.step === 'restarted') {
    const moved = ctx.containers.transition(id, ['restarting'], { state: 'running', pid: Number(r.detail.pid), startedAt: time, error: '' });
    if (moved) containerEvent(ctx, now, 'start', {}, time);
  } else if (r.step === 'health_status') {
    if (r.detail.status) containerEvent(ctx, now, `health_status: ${r.detail.status}`, {}, time);
  }
}

const newsSteps = new Set(['restarting', 'restarted', 'health_status']);

/**
 * Tells the parts: a launch's steps enriched, at the time of the start they
 * made (the row's first start, or the `restarted` after them); an exit's at
 * the time it ended (its `restarting`, or the monitor's end); any other
 * step at the last exit's time while the container restarts, else now.
 */
function tellParts(ctx: RuntimeContext, row: ContainerRow, parts: Part[], finishedAt: number | undefined): void {
  const start = parts.some((p) => p.kind === 'launch') ? loadStartContext(ctx, row.id) : undefined;
  let exitTime = row.state === 'restarting' ? row.finishedAt : undefined;
  for (const part of parts) {
    if (part.kind === 'launch') {
      const time = part.restarted ? timeOf(part.restarted) : part.relaunch ? (finishedAt ?? nowNanos()) : row.startedAt;
      for (const s of start ? launcherSteps(part.records, start) : part.records) kernelEvent(ctx, row.id, s, time);
      if (part.restarted) tell(ctx, row.id, part.restarted);
      exitTime = undefined;
    } else if (part.kind === 'exit') {
      exitTime = part.restarting ? timeOf(part.restarting) : (finishedAt ?? nowNanos());
      for (const r of part.records) kernelEvent(ctx, row.id, r, exitTime);
      if (part.restarting) tell(ctx, row.id, part.restarting);
    } else if (newsSteps.has(part.record.step)) {
      tell(ctx, row.id, part.record);
    } else {
      kernelEvent(ctx, row.id, part.record, exitTime ?? nowNanos());
    }
  }
}

/**
 * Takes what the container's monitor recorded since the engine last looked;
 * returns the row as it is now (undefined once removed). Cheap when there is
 * nothing new: one stat (given the row as just read, no query either).
 * `ended`: the monitor is gone (its exit file says when the container
 * ended), so whatever it left is taken, complete or not.
 */
export function syncMonitor(ctx: RuntimeContext, rowOrId: ContainerRow | string, ended?: { finishedAt: number }): ContainerRow | undefined {
  const row = typeof rowOrId === 'string' ? ctx.containers.get(rowOrId) : rowOrId;
  if (!row || row.monitorPid <= 0) return row;
  const id = row.id;
  const file = recordsFile(ctx.paths.runDir(id));
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size <= row.monitorOffset) return row;
  return ctx.containers.atomically(() => {
    const fresh = ctx.containers.get(id);
    // Started again by someone else meanwhile: the file is that start's.
    if (!fresh || fresh.monitorPid !== row.monitorPid) return fresh;
    const { parts, end } = splitParts(readRecords(file, fresh.monitorOffset), fresh.state === 'restarting', ended !== undefined);
    if (end === undefined) return fresh;
    // The offset moves first: whoever hears of these events (in this process, at once) and looks
    // again must find nothing new, or the same records would be taken twice.
    ctx.containers.transition(id, [fresh.state], { monitorOffset: end });
    tellParts(ctx, fresh, parts, ended?.finishedAt);
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
