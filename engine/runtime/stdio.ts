// Streams of a container's stdio: start with stdio attached from the first
// byte (run, start -a), attach to a running one, exec one more process, and
// read the json-file log. One helper turns a shim socket into a stream.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import type { EngineStreams, LogLine, StdioInput, StdioMessage } from '../api';
import { asEngineError, unavailable } from '../errors';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import { laterHandle } from '../rpc/laterHandle';
import { containerEvent, findContainer, type RuntimeContext } from './context';
import { cgroupsOf, recordExit, startContainer } from './lifecycle';
import { syncMonitor } from './monitorRecords';
import { execProcess } from './prepare';
import { specJson } from './ulimits';
import { decodeJsonLog, decodeLocalLog, logConfigOf, logFileOf, readLogRecords, type LogRecord } from './logDriver';
import { HeldSocket, isShimAlive, readExitFile, shimExec } from './shim';
import type { ContainerRow } from '../store/containers';
import { FrameDecoder, encodeInput } from './frames';
import { assertAllowed } from './states';

type StdioCallbacks = StreamCallbacks<StdioMessage>;

/**
 * Pipes frames from a shim socket to callbacks. `onExit` runs before the
 * exit message is delivered, so a caller sees the container's final state.
 */
function pipeSocket(source: Socket | HeldSocket, cb: StdioCallbacks, onExit: (code: number) => Promise<void>): StreamHandle<StdioInput> {
  const held = source instanceof HeldSocket ? source : undefined;
  const socket = held ? held.socket : (source as Socket);
  const decoder = new FrameDecoder();
  let ended = false;
  let exited = false;
  const end = (err?: unknown) => {
    if (ended) return;
    ended = true;
    socket.destroy();
    cb.onEnd(err === undefined ? undefined : asEngineError(err).toPayload());
  };
  const onData = (chunk: Buffer) => {
    for (const m of decoder.push(chunk)) {
      if ('exit' in m) {
        exited = true;
        onExit(m.exit).then(
          () => {
            cb.onMessage(m);
            end();
          },
          (err) => end(err),
        );
      } else cb.onMessage(m);
    }
  };
  if (held) held.read(onData);
  else socket.on('data', onData);
  socket.on('error', () => undefined);
  // A monitor that went away without an exit frame (killed) must not leave the stream open for ever.
  socket.on('close', () => {
    if (!exited) end(unavailable('the connection to the container monitor closed before the process exited'));
  });
  return {
    send: (input) => {
      if (!ended) socket.write(encodeInput(input));
    },
    close: () => end(),
    // The monitor stops reading the process's output when the socket backs up, so the process waits too.
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
}

/**
 * An attached client saw the container's process end with `code`. The
 * monitor wrote why before it sent the frame: exit.json when the container
 * stopped, a `restarting` record when its restart policy starts it again.
 */
async function noteExitFrame(ctx: RuntimeContext, row: ContainerRow, code: number): Promise<void> {
  const info = readExitFile(ctx.paths.runDir(row.id));
  if (!info && isShimAlive(row.monitorPid)) {
    syncMonitor(ctx, row.id);
    return;
  }
  await recordExit(ctx, row.id, row.monitorPid, info ?? { exitCode: code, signal: 0, finishedAt: new Date().toISOString() });
}

function initialSize(rows?: number, cols?: number): StdioInput[] {
  return rows && cols ? [{ resize: { rows, cols } }] : [];
}

export function startAttachedStream(
  ctx: RuntimeContext,
  arg: EngineStreams['container.startAttached']['arg'],
  cb: StdioCallbacks,
): StreamHandle<StdioInput> {
  const later = laterHandle(initialSize(arg.rows, arg.cols));
  startContainer(ctx, arg.id, true).then(
    ({ row, socket }) => {
      if (!socket) {
        cb.onEnd(asEngineError(new Error(`container ${arg.id} is already running`)).toPayload());
        return;
      }
      later.settle(pipeSocket(socket, cb, (code) => noteExitFrame(ctx, row, code)));
    },
    (err) => cb.onEnd(asEngineError(err).toPayload()),
  );
  return later.handle;
}

/** Connects to the monitor's attach socket (through /proc/self/fd, so long run dirs fit sun_path). */
export function attachStream(ctx: RuntimeContext, arg: EngineStreams['container.attach']['arg'], cb: StdioCallbacks): StreamHandle<StdioInput> {
  const row = syncMonitor(ctx, findContainer(ctx, arg.id).id)!;
  assertAllowed('attach', row.state, arg.id);
  const dirFd = fs.openSync(ctx.paths.runDir(row.id), 'r');
  const socket = net.createConnection(`/proc/self/fd/${dirFd}/attach.sock`);
  socket.once('connect', () => fs.closeSync(dirFd));
  socket.once('error', (err) => {
    try {
      fs.closeSync(dirFd);
    } catch {
      // already closed after connect
    }
    cb.onEnd(asEngineError(err).toPayload());
  });
  containerEvent(ctx, row, 'attach');
  return pipeSocket(socket, cb, (code) => noteExitFrame(ctx, row, code));
}

export function execStream(ctx: RuntimeContext, arg: EngineStreams['container.exec']['arg'], cb: StdioCallbacks): StreamHandle<StdioInput> {
  const row = syncMonitor(ctx, findContainer(ctx, arg.id).id)!;
  assertAllowed('exec', row.state, arg.id);
  const processSpec = execProcess(ctx, row, arg);
  const processFile = path.join(ctx.paths.runDir(row.id), `exec-${randomBytes(6).toString('hex')}.json`);
  fs.writeFileSync(processFile, specJson(processSpec));
  const detach = !!arg.detach;
  const cmdline = arg.cmd.join(' ');
  containerEvent(ctx, row, `exec_create: ${cmdline}`);
  const later = laterHandle(initialSize(arg.rows, arg.cols));
  const bundle = ctx.paths.containerDir(row.id);
  shimExec({ pid: row.pid, bundle, processFile, cgroups: cgroupsOf(ctx, row.id)?.dirs ?? [], attach: !detach, stdin: !!arg.stdin }).then(
    ({ socket }) => {
      fs.rmSync(processFile, { force: true });
      containerEvent(ctx, row, `exec_start: ${cmdline}`);
      if (!socket) {
        cb.onEnd();
        return;
      }
      later.settle(pipeSocket(socket, cb, async (code) => containerEvent(ctx, row, 'exec_die', { exitCode: String(code) })));
    },
    (err) => {
      fs.rmSync(processFile, { force: true });
      cb.onEnd(asEngineError(err).toPayload());
    },
  );
  return later.handle;
}

const nanosOf = (time: string) => {
  const ms = Date.parse(time);
  const fraction = /\.(\d+)/.exec(time)?.[1] ?? '';
  return Math.floor(ms / 1000) * 1e9 + Number(fraction.padEnd(9, '0').slice(0, 9));
};

/**
 * The container's log (runtime/logDriver.ts: json-file or local, rotated
 * files first); --since/--until keep the entries between those times, --tail
 * the last n of them; with follow, keeps reading (across rotations) until
 * the container stops.
 */
export function logsStream(ctx: RuntimeContext, arg: EngineStreams['container.logs']['arg'], cb: StreamCallbacks<LogLine>): StreamHandle<never> {
  const row = findContainer(ctx, arg.id);
  const file = logFileOf(ctx, row);
  const local = logConfigOf(row).Type === 'local';
  const inTime = (line: LogRecord) => {
    if (arg.since === undefined && arg.until === undefined) return true;
    const t = nanosOf(line.time);
    return (arg.since === undefined || t >= arg.since) && (arg.until === undefined || t <= arg.until);
  };
  // Where the file being written ends now: following goes on from there.
  const startSize = file ? fileSize(file) : 0;
  let lines = readLogRecords(ctx, row).filter(inTime);
  if (arg.tail !== undefined && arg.tail >= 0) lines = arg.tail === 0 ? [] : lines.slice(-arg.tail);
  for (const line of lines) cb.onMessage(line);
  const running = row.state === 'running' || row.state === 'paused';
  const pastUntil = arg.until !== undefined && arg.until <= Date.now() * 1e6;
  if (!arg.follow || !running || !file || pastUntil) {
    queueMicrotask(() => cb.onEnd());
    return { send() {}, close() {} };
  }
  let reader = openFollow(file, startSize);
  let pending: Buffer = Buffer.alloc(0);
  let stopped = false;
  const deliver = (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    let records: LogRecord[];
    if (local) ({ records, rest: pending } = decodeLocalLog(pending));
    else {
      const decoded = decodeJsonLog(pending.toString('utf8'));
      records = decoded.records;
      pending = Buffer.from(decoded.rest);
    }
    for (const record of records) if (inTime(record)) cb.onMessage(record);
  };
  const readMore = () => {
    for (;;) {
      deliver(reader.readNew());
      // Rotated: what the old file still held is read; the new file starts from its beginning.
      if (!reader.rotated()) return;
      reader.close();
      pending = Buffer.alloc(0);
      reader = openFollow(file, 0);
    }
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(poll);
    reader.close();
    cb.onEnd();
  };
  const poll = setInterval(() => {
    readMore();
    if (arg.until !== undefined && arg.until <= Date.now() * 1e6) return stop();
    if (readExitFile(ctx.paths.runDir(row.id)) || !ctx.containers.get(row.id)) {
      readMore();
      stop();
    }
  }, 100);
  return { send() {}, close: stop };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Reads a growing file from `offset` on, and tells when its path names another file (rotation). */
function openFollow(file: string, offset: number) {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    fd = undefined;
  }
  const ino = fd === undefined ? -1 : fs.fstatSync(fd).ino;
  let position = offset;
  return {
    readNew(): Buffer {
      if (fd === undefined) return Buffer.alloc(0);
      const size = fs.fstatSync(fd).size;
      if (size <= position) return Buffer.alloc(0);
      const buf = Buffer.alloc(size - position);
      const n = fs.readSync(fd, buf, 0, buf.length, position);
      position += n;
      return buf.subarray(0, n);
    },
    rotated(): boolean {
      try {
        return fs.statSync(file).ino !== ino;
      } catch {
        return false;
      }
    },
    close(): void {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}
