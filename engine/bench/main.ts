// `npm run bench`: the engine's speed and memory targets, each measured as a
// median over repeated runs beside its floor measured in the same run, so
// the machine's noise of the day moves both; the archive commands' beside
// tar and docker (./archives.ts); the Docker API beside dockerd
// (./dockerApi.ts); and the app's, in Chromium (./app.ts), the browser
// host's (./host.ts), and 200 containers held running (./heldLoad.ts). Run
// as root. `node dist/engine/bench/main.js app` runs only the app's section
// (`engine`, `teaching` — the kernel steps' and the live writable layer's
// costs —, `archives`, `filters` — filtered ps and images on a full store —,
// `network` — networking's cost beside docker's —, `registry` — pulls and
// pushes beside docker and skopeo —, `host`, `dockerapi` and `held` likewise,
// and `rootless` — rootless mode beside root mode); no argument runs them
// all. The engine's rows run containers with --network none: they measure
// the engine; networking has its own rows.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalClient, type LocalClient } from '../rpc/local';
import { collect } from '../testing/tempEngine';
import { imageBenchmarks } from './images';
import { buildBench } from './build';
import { appBenchmarks } from './app';
import { wasteBenchmark } from './uploads';
import { registryBenchmarks } from './registry';
import { networkBenchmarks } from './network';
import { hostBenchmarks } from './host';
import { filterBenchmarks } from './filters';
import { limitsBenchmarks } from './limits';
import { archiveBenchmarks } from './archives';
import { heldLoadBenchmarks } from './heldLoad';
import { dockerApiBenchmarks } from './dockerApi';
import { teachingBenchmarks } from './teaching';
import { claimTestNetwork } from '../testing/testNetwork';
import { rootlessBenchmarks } from './rootless';

const sections = ['engine', 'teaching', 'archives', 'filters', 'network', 'registry', 'host', 'dockerapi', 'app', 'held', 'rootless'] as const;
type Section = (typeof sections)[number];
const chosen = process.argv.slice(2);
const wants = (section: Section) => chosen.length === 0 || chosen.includes(section);

const repo = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(repo, 'bin', 'strata');

interface Row {
  what: string;
  median: string;
  floor: string;
  target: string;
  ok: boolean;
}
const rows: Row[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

function timeSync(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function runCli(env: NodeJS.ProcessEnv, args: string[]): void {
  const r = spawnSync(cli, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`strata ${args.join(' ')} failed: ${r.stderr}`);
}

function spawnTrue(): Promise<void> {
  return new Promise((resolve) => spawn('/bin/true').on('exit', () => resolve()));
}

async function cliRun(env: NodeJS.ProcessEnv, image: string, n: number): Promise<void> {
  const node: number[] = [];
  const run: number[] = [];
  for (let i = 0; i < n; i++) {
    node.push(timeSync(() => spawnSync(process.execPath, ['-e', ''])));
    run.push(timeSync(() => runCli(env, ['run', '--rm', '--network', 'none', image, 'true'])));
  }
  const floor = median(node);
  rows.push({
    what: '`strata run --rm --network none IMG true` (CLI)',
    median: ms(median(run)),
    floor: `node -e '' ${ms(floor)}`,
    target: `≤ node + 40 ms (${ms(floor + 40)})`,
    ok: median(run) <= floor + 40,
  });
}

async function apiRun(client: LocalClient, image: string, n: number): Promise<void> {
  const runs: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < n; i++) {
    floors.push(await timeAsync(spawnTrue));
    runs.push(
      await timeAsync(async () => {
        const { id } = await client.call('container.create', { image, cmd: ['true'], autoRemove: true, networkMode: 'none' });
        await collect(client, id);
      }),
    );
  }
  rows.push({
    what: 'run --rm --network none IMG true through the API, in process',
    median: ms(median(runs)),
    floor: `spawn /bin/true ${ms(median(floors))}`,
    target: '≤ 30 ms',
    ok: median(runs) <= 30,
  });
}

async function hundredContainers(client: LocalClient, image: string): Promise<void> {
  const total = await timeAsync(async () => {
    for (let i = 0; i < 100; i++) {
      const { id } = await client.call('container.create', { image, cmd: ['sleep', '1000'], networkMode: 'none' });
      await client.call('container.start', { id });
      await client.call('container.stop', { id, timeout: 0 });
      await client.call('container.remove', { id });
    }
  });
  const floor = await timeAsync(async () => {
    for (let i = 0; i < 100; i++) await spawnTrue();
  });
  rows.push({
    what: '100 × create, start, stop -t 0, rm (API, sequential, --network none)',
    median: ms(total),
    floor: `100 × spawn /bin/true ${ms(floor)}`,
    target: '≤ 3000 ms (Docker CLI: 34 s)',
    ok: total <= 3000,
  });
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function monitorMemory(client: LocalClient, image: string): Promise<void> {
  const samples: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { id } = await client.call('container.create', { image, cmd: ['sleep', '1000'] });
    await client.call('container.start', { id });
    const monitor = Number(fs.readFileSync(path.join(client.engine.paths.runDir(id), 'monitor.pid'), 'utf8'));
    samples.push(rssKb(monitor));
    floors.push(rssKb((await client.call('container.inspect', { id })).State.Pid));
    await client.call('container.remove', { id, force: true });
  }
  rows.push({
    what: 'a running container monitor, resident memory',
    median: `${median(samples)} kB`,
    floor: `the container's sleep ${median(floors)} kB`,
    target: '≤ 2048 kB',
    ok: median(samples) <= 2048,
  });
}

async function psWith500(client: LocalClient, env: NodeJS.ProcessEnv, image: string): Promise<void> {
  for (let i = 0; i < 500; i++) await client.call('container.create', { image, cmd: ['true'] });
  const ps: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < 9; i++) {
    node.push(timeSync(() => spawnSync(process.execPath, ['-e', ''])));
    ps.push(timeSync(() => runCli(env, ['ps', '-a'])));
  }
  rows.push({
    what: '`strata ps -a` with 500 containers (CLI)',
    median: ms(median(ps)),
    floor: `node -e '' ${ms(median(node))}`,
    target: '≤ 200 ms',
    ok: median(ps) <= 200,
  });
}

/** A fresh engine root with the starter image for `fn`, everything it made removed afterwards. */
async function withEngine(fn: (client: LocalClient, env: NodeJS.ProcessEnv, root: string, image: string) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-'));
  const env = { ...process.env, STRATA_ROOT: root };
  const client = openLocalClient({ root });
  try {
    const { reference } = await client.call('image.bootstrap', {});
    await fn(client, env, root, reference);
  } finally {
    for (const c of await client.call('container.list', { all: true })) await client.call('container.remove', { id: c.id, force: true });
    client.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function engineBenchmarks(): Promise<void> {
  return withEngine(async (client, env, root, reference) => {
    await apiRun(client, reference, 3); // warm-up: page cache, first cgroup dirs
    rows.length = 0;
    await cliRun(env, reference, 15);
    await apiRun(client, reference, 30);
    await hundredContainers(client, reference);
    await monitorMemory(client, reference);
    rows.push(...(await imageBenchmarks(client, reference)));
    rows.push(await wasteBenchmark(client, reference));
    rows.push(...(await buildBench(client, path.join(root, 'bench-work'), root)));
    rows.push(...(await limitsBenchmarks(client, reference, env, cli)));
    await psWith500(client, env, reference);
  });
}

function filterSection(): Promise<void> {
  return withEngine(async (client, env, root, reference) => void rows.push(...(await filterBenchmarks(client, cli, env, reference, path.join(root, 'bench-filters')))));
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (namespaces, mounts, cgroups)');
  const unknown = chosen.filter((c) => !(sections as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`unknown benchmark section ${unknown[0]}: expected ${sections.join(' or ')}`);
  // Containers the benchmarks start (builds' included) use a bridge and subnets of their own.
  claimTestNetwork();
  if (wants('engine')) await engineBenchmarks();
  if (wants('archives')) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-archives-'));
    try {
      rows.push(...(await archiveBenchmarks(root, path.join(root, 'work'))));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  if (wants('teaching')) await withEngine((client, _env, _root, image) => teachingBenchmarks(client, image).then((r) => void rows.push(...r)));
  if (wants('filters')) await filterSection();
  if (wants('network')) rows.push(...(await networkBenchmarks()));
  if (wants('registry')) rows.push(...(await registryBenchmarks()));
  if (wants('host')) await withEngine((client, _env, root, image) => hostBenchmarks(client, root, image).then((r) => void rows.push(...r)));
  if (wants('dockerapi')) rows.push(...(await dockerApiBenchmarks()));
  if (wants('app')) rows.push(...(await appBenchmarks()));
  if (wants('held')) rows.push(...(await heldLoadBenchmarks()));
  if (wants('rootless')) rows.push(...(await rootlessBenchmarks()));
  const cols: (keyof Row)[] = ['what', 'median', 'floor', 'target'];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  console.log(`\nStrata benchmark — ${os.cpus().length} cores, node ${process.version}, medians\n`);
  console.log(line([...cols.map(String), '']));
  for (const r of rows) console.log(line([...cols.map((c) => String(r[c])), r.ok ? 'ok' : 'MISSED']));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
