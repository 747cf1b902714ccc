// `build` benchmark: a five-step Dockerfile over a context of 2,000 small
// files, built through the API in process (as the app builds). Two figures:
// the full rebuild with every step from the cache (context hashing
// included), and a cold build's overhead per step over the time its RUN
// commands themselves take, those commands timed on the host beside it.
// A third row shows the cold `COPY .` beside `cp -a` of the same files onto
// the engine's filesystem: writing 2,000 files is most of a cold build.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BuildMessage, BuildOptions } from '../api';
import type { LocalClient } from '../rpc/local';

export interface BenchRow {
  what: string;
  median: string;
  floor: string;
  target: string;
  ok: boolean;
}

const files = 2000;
const runCommands = ['sleep 0.2 && ls /app | wc -l > /count.txt', 'sleep 0.2 && cat /count.txt'];
const dockerfile = ['FROM starter', 'COPY . /app/', `RUN ${runCommands[0]}`, 'ENV MODE=bench', `RUN ${runCommands[1]}`, ''].join('\n');
const steps = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

function makeContext(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `d${i % 20}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `f${i}.txt`), `file ${i}\n`.repeat(8));
  }
}

async function timedBuild(client: LocalClient, opts: BuildOptions): Promise<{ ms: number; hits: number; copyMs: number }> {
  const t0 = process.hrtime.bigint();
  let hits = 0;
  let copyMs = 0;
  await new Promise<void>((resolve, reject) =>
    client.open('image.build', opts, {
      onMessage: (m: BuildMessage) => {
        if (m.type === 'cache' && m.hit) hits++;
        if (m.type === 'image' && m.step === 2) copyMs = m.durationMs;
      },
      onEnd: (err) => (err ? reject(new Error(err.message)) : resolve()),
    }),
  );
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, hits, copyMs };
}

/** Writing the context's files once on the engine's filesystem: the least a cold COPY of them costs. */
function copyFloor(context: string, engineRoot: string): number {
  const dest = path.join(engineRoot, 'cp-floor');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('cp', ['-a', context, dest], { stdio: 'ignore' });
  const t = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.rmSync(dest, { recursive: true, force: true });
  if (r.status !== 0) throw new Error('cp -a failed');
  return t;
}

/** The RUN commands' own time: each run by the host's shell on the same files. */
function runCommandsOnHost(context: string): number {
  const t0 = process.hrtime.bigint();
  const scratch = path.join(context, '..', 'count.txt');
  for (const cmd of runCommands) {
    const local = cmd.replaceAll('/app', context).replaceAll('/count.txt', scratch);
    const r = spawnSync('/bin/sh', ['-c', local], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${local} failed`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function buildBench(client: LocalClient, workDir: string, engineRoot: string): Promise<BenchRow[]> {
  const context = path.join(workDir, 'build-context');
  makeContext(context);
  const opts: BuildOptions = { context, tags: ['bench:build'] };
  await timedBuild(client, opts); // the image the rebuilds hit

  const cached: number[] = [];
  for (let i = 0; i < 9; i++) {
    const { ms: t, hits } = await timedBuild(client, opts);
    if (hits !== steps - 1) throw new Error(`the rebuild hit the cache on ${hits} of ${steps - 1} steps`);
    cached.push(t);
  }

  const cold: number[] = [];
  const copies: number[] = [];
  const floors: number[] = [];
  const copyFloors: number[] = [];
  for (let i = 0; i < 5; i++) {
    floors.push(runCommandsOnHost(context));
    copyFloors.push(copyFloor(context, engineRoot));
    const run = await timedBuild(client, { ...opts, noCache: true });
    cold.push(run.ms);
    copies.push(run.copyMs);
  }
  const perStep = (median(cold) - median(floors)) / steps;
  return [
    {
      what: `build: rebuild, every step cached (${steps} steps, ${files} files)`,
      median: ms(median(cached)),
      floor: '—',
      target: '≤ 300 ms',
      ok: median(cached) <= 300,
    },
    {
      what: `build: cold, overhead per step (cold ${ms(median(cold))})`,
      median: ms(perStep),
      floor: `RUN commands on the host ${ms(median(floors))}`,
      target: '≤ 150 ms per step',
      ok: perStep <= 150,
    },
    {
      what: `build: cold COPY . of the ${files} files (a step of the above)`,
      median: ms(median(copies)),
      floor: `cp -a of them ${ms(median(copyFloors))}`,
      target: 'reported',
      ok: true,
    },
  ];
}
