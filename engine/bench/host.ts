// The browser host's benchmark: output through it, and its memory under
// hostile clients. The host runs as `strata gui --browser` does, in a
// process of its own, so its resident memory is its own; the clients are
// this process, speaking the wire protocol with the `ws` package.
//
// - an exec printing 50 MB, through the CLI (the floor: the monitor's socket
//   straight to a pipe) and through the host's websocket;
// - the host's memory while 16 clients (its limit) send it the largest
//   messages it takes, each a JSON array of small objects, and others open
//   connections past the limit or send 16 MiB at once; and after they went;
// - the host's memory while a client reads a 200 MB exec slowly (the
//   container is held back instead of the host buffering);
// - how long until the host's memory is back near idle once hostile clients
//   went: garbage is returned when V8's memory reducer runs, some seconds
//   (on a busy machine, a minute) after the allocations stop.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { socketLimits } from '../host/sockets';
import { decodeMessage, encodeMessage, handshakeProtocols, type ServerMessage } from '../host/wire';
import type { LocalClient } from '../rpc/local';
import type { BenchRow } from './images';

const repo = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(repo, 'bin', 'strata');
const fiftyMb = 50 * 1024 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

interface RunningHost {
  child: ChildProcess;
  port: number;
  token: string;
}

function startHost(root: string): Promise<RunningHost> {
  const child = spawn(process.execPath, [cli, 'gui', '--browser', '--no-open', '--port', '0'], {
    env: { ...process.env, STRATA_ROOT: root },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), token: m[2]! });
    });
    child.on('exit', (code) => reject(new Error(`the browser host exited (${code})`)));
  });
}

function stopHost(host: RunningHost): Promise<void> {
  return new Promise((resolve) => {
    host.child.removeAllListeners('exit');
    host.child.once('exit', () => resolve());
    host.child.kill('SIGTERM');
  });
}

function connect(host: RunningHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, handshakeProtocols(host.token));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Runs `cmd` in container `id` over `ws`, counting the stdout bytes; `pace` holds each message's reading back. */
function execOver(ws: WebSocket, id: string, cmd: string[], pace?: (bytes: number) => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const take = (m: ServerMessage) => {
      if (m.kind === 'message') bytes += (m.message as { data?: Uint8Array }).data?.length ?? 0;
      else if (m.kind === 'end' && m.error) reject(new Error(m.error.message));
      else if (m.kind === 'end') resolve(bytes);
    };
    // Messages are taken in order, each after the last one's pace: the socket is not read meanwhile.
    let reading = Promise.resolve();
    ws.on('message', (data) => {
      const m = decodeMessage(data.toString()) as ServerMessage;
      if (!pace) return take(m);
      ws.pause();
      reading = reading.then(async () => {
        take(m);
        await pace(bytes);
        ws.resume();
      });
    });
    ws.send(encodeMessage({ kind: 'open', id: 1, name: 'container.exec', arg: { id, cmd } }));
  });
}

function cliExec(env: NodeJS.ProcessEnv, id: string): void {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" exec ${id} head -c ${fiftyMb} /dev/zero | wc -c`], { env, encoding: 'utf8' });
  if (r.status !== 0 || Number(r.stdout.trim()) !== fiftyMb) throw new Error(`strata exec: ${r.stderr || r.stdout}`);
}

async function execThroughput(host: RunningHost, env: NodeJS.ProcessEnv, id: string): Promise<BenchRow> {
  const viaCli: number[] = [];
  const viaHost: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    cliExec(env, id);
    viaCli.push(performance.now() - t0);
    const ws = await connect(host);
    const t1 = performance.now();
    const bytes = await execOver(ws, id, ['head', '-c', String(fiftyMb), '/dev/zero']);
    viaHost.push(performance.now() - t1);
    ws.close();
    if (bytes !== fiftyMb) throw new Error(`exec through the host gave ${bytes} bytes of ${fiftyMb}`);
  }
  return {
    what: 'exec printing 50 MB through the browser host, whole',
    median: `${median(viaHost).toFixed(0)} ms`,
    floor: `strata exec | wc -c ${median(viaCli).toFixed(0)} ms`,
    target: '≤ 5 × the CLI',
    ok: median(viaHost) <= 5 * median(viaCli),
  };
}

/** 16 clients sending the largest messages the host takes, made of small objects; more knocking past the limit. */
async function hostileClients(host: RunningHost): Promise<void> {
  const objects = `[${'{},'.repeat(Math.floor(socketLimits.messageBytes / 3) - 2)}{}]`;
  const clients = await Promise.all(Array.from({ length: socketLimits.connections }, () => connect(host)));
  const refused = await Promise.allSettled(Array.from({ length: 50 }, () => connect(host)));
  if (refused.some((r) => r.status === 'fulfilled')) throw new Error('the host took connections past its limit');
  for (let round = 0; round < 40; round++) {
    await Promise.all(clients.map((ws) => new Promise<void>((resolve) => ws.send(objects, () => resolve()))));
  }
  const closed = clients.map((ws) => new Promise((resolve) => ws.once('close', resolve)));
  // 16 MiB at once: the host closes that connection.
  clients[0]!.send('x'.repeat(16 * 1024 * 1024));
  await closed[0];
  await sleep(500);
  for (const ws of clients) ws.close();
  await Promise.all(closed);
}

/** Close enough to idle to call the memory given back. */
const backSlackKb = 20 * 1024;

async function memoryUnderHostileClients(root: string): Promise<BenchRow[]> {
  const peaks: number[] = [];
  const idles: number[] = [];
  const returns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const host = await startHost(root);
    try {
      await sleep(500);
      const idle = statusKb(host.child.pid!, 'VmRSS');
      idles.push(idle);
      await hostileClients(host);
      peaks.push(statusKb(host.child.pid!, 'VmHWM'));
      // Garbage is given back when V8's memory reducer runs, some seconds after the allocations stop.
      const gone = performance.now();
      while (statusKb(host.child.pid!, 'VmRSS') > idle + backSlackKb && performance.now() - gone < 180_000) await sleep(250);
      returns.push((performance.now() - gone) / 1000);
    } finally {
      await stopHost(host);
    }
  }
  const idle = median(idles);
  return [
    {
      what: 'browser host, peak memory with 16 clients sending 128 KiB messages of {} (5,120 messages)',
      median: mb(median(peaks)),
      floor: `idle host ${mb(idle)}`,
      target: '≤ idle + 100 MB',
      ok: median(peaks) <= idle + 100 * 1024,
    },
    {
      what: 'browser host, time until its memory is within 20 MB of idle after those clients went',
      median: `${median(returns).toFixed(0)} s`,
      floor: `idle host ${mb(idle)}`,
      target: '≤ 120 s (V8 decides when)',
      ok: median(returns) <= 120,
    },
  ];
}

async function memoryWithSlowReader(host: RunningHost, id: string): Promise<BenchRow> {
  const ws = await connect(host);
  const size = 200 * 1024 * 1024;
  const before = statusKb(host.child.pid!, 'VmRSS');
  let peak = before;
  // About 20 MB/s: far slower than the container and the host.
  const bytes = await execOver(ws, id, ['head', '-c', String(size), '/dev/zero'], async () => {
    peak = Math.max(peak, statusKb(host.child.pid!, 'VmRSS'));
    await sleep(1);
  });
  ws.close();
  if (bytes !== size) throw new Error(`the slow reader got ${bytes} bytes of ${size}`);
  // Buffered for the reader, the 200 MB would be 267 MB of base64 text in the host.
  return {
    what: 'browser host, peak memory while a slow client reads a 200 MB exec',
    median: mb(peak),
    floor: `before ${mb(before)}`,
    target: '≤ before + 100 MB (held back, not buffered)',
    ok: peak <= before + 100 * 1024,
  };
}

export async function hostBenchmarks(client: LocalClient, root: string, image: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { id } = await client.call('container.create', { image, cmd: ['sleep', '100000'] });
  await client.call('container.start', { id });
  const env = { ...process.env, STRATA_ROOT: root };
  const host = await startHost(root);
  try {
    rows.push(await execThroughput(host, env, id));
    rows.push(await memoryWithSlowReader(host, id));
  } finally {
    await stopHost(host);
    await client.call('container.remove', { id, force: true });
  }
  rows.push(...(await memoryUnderHostileClients(root)));
  return rows;
}
