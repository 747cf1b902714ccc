// The archive benchmarks, each measured from the command line beside its
// peer on the same input, alternating, medians: `strata import` of 160,000
// entries and of 50,000 directory replacements beside `tar -x` of the same
// archive (and at half the size, to show the cost is linear); `strata load`
// of a 100 MB image in 200 files beside `docker load` (a private dockerd of
// its own); `strata save` of it beside `tar -cf` of the same files.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encodeHeader, endOfArchive, paddingFor } from '../fs/tarWriter';
import type { BenchRow } from './images';

const maxRatio = 1.5;
const cli = path.resolve(__dirname, '..', '..', '..', 'bin', 'strata');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Wall time of a command, which must succeed. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const took = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return took;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A tar written entry by entry to `file`, in 1 MB writes. */
function writeTar(file: string, entries: (emit: (header: Buffer, data?: Buffer) => void) => void): void {
  const fd = fs.openSync(file, 'w');
  let pending: Buffer[] = [];
  let length = 0;
  const flush = () => {
    fs.writeSync(fd, Buffer.concat(pending));
    pending = [];
    length = 0;
  };
  const push = (b: Buffer) => {
    pending.push(b);
    length += b.length;
    if (length >= 1 << 20) flush();
  };
  entries((header, data) => {
    push(header);
    if (data) {
      push(data);
      push(paddingFor(data.length));
    }
  });
  push(endOfArchive);
  flush();
  fs.closeSync(fd);
}

const mtime = 1_600_000_000;
const dirEntry = (name: string) => encodeHeader({ name: `${name}/`, type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime });
const fileEntry = (name: string, data: Buffer) => encodeHeader({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime });

/** `dirs` directories of 159 small files: 160 entries each. */
function manyEntries(file: string, dirs: number): void {
  writeTar(file, (emit) => {
    for (let d = 0; d < dirs; d++) {
      emit(dirEntry(`d${d}`));
      for (let f = 0; f < 159; f++) {
        const data = Buffer.from(`file ${d}/${f}\n`);
        emit(fileEntry(`d${d}/f${f}`, data), data);
      }
    }
  });
}

/** `n` directories, each with a file in it, each then replaced by a file of the same name. */
function replacements(file: string, n: number): void {
  writeTar(file, (emit) => {
    for (let i = 0; i < n; i++) {
      emit(dirEntry(`r${i}`));
      const inner = Buffer.from('x');
      emit(fileEntry(`r${i}/inner`, inner), inner);
      const data = Buffer.from('now a file\n');
      emit(fileEntry(`r${i}`, data), data);
    }
  });
}

interface Side {
  strata: number[];
  floor: number[];
}

/** `strata import` of the archive beside `tar -x` of it into a fresh dir, alternating; each import removed again unmeasured. */
function importBeside(env: NodeJS.ProcessEnv, archive: string, work: string, tarArgs: string[], runs: number): Side {
  const side: Side = { strata: [], floor: [] };
  for (let i = 0; i < runs; i++) {
    const dir = path.join(work, 'tar-x');
    fs.mkdirSync(dir);
    side.floor.push(timed('tar', [...tarArgs, '-xf', archive, '-C', dir]));
    fs.rmSync(dir, { recursive: true, force: true });
    side.strata.push(timed(cli, ['import', archive, 'bench:import'], env));
    run(cli, ['rmi', 'bench:import'], env);
  }
  return side;
}

function importRows(env: NodeJS.ProcessEnv, work: string, what: string, make: (file: string, n: number) => void, n: number, tarArgs: string[]): BenchRow[] {
  const full = path.join(work, 'full.tar');
  const half = path.join(work, 'half.tar');
  make(full, n);
  make(half, Math.floor(n / 2));
  const big = importBeside(env, full, work, tarArgs, 3);
  const small = importBeside(env, half, work, tarArgs, 3);
  fs.rmSync(full);
  fs.rmSync(half);
  const ratio = median(big.strata) / median(big.floor);
  const growth = median(big.strata) / median(small.strata);
  const floorGrowth = median(big.floor) / median(small.floor);
  return [
    {
      what: `import: ${what}`,
      median: `${ms(median(big.strata))} (${ratio.toFixed(2)}×); half the entries ${ms(median(small.strata))}: ×${growth.toFixed(2)} for ×2`,
      floor: `${['tar', ...tarArgs, '-x'].join(' ')} ${ms(median(big.floor))}; half ${ms(median(small.floor))}: ×${floorGrowth.toFixed(2)}`,
      target: `≤ ${maxRatio}× tar -x, linear`,
      // Linear doubles; quadratic would be ×4.
      ok: ratio <= maxRatio && growth <= 3,
    },
  ];
}

/** A private dockerd (its own data, exec root and socket), or null when this machine has none. */
async function privateDockerd(dir: string): Promise<{ env: NodeJS.ProcessEnv; stop: () => Promise<void> } | null> {
  if (spawnSync('sh', ['-c', 'command -v dockerd && command -v docker']).status !== 0) return null;
  const sock = path.join(dir, 'sock');
  const daemon = spawn(
    'dockerd',
    ['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'pid'), '-H', `unix://${sock}`, '--iptables=false', '--bridge=none'],
    { stdio: 'ignore' },
  );
  const env = { ...process.env, DOCKER_HOST: `unix://${sock}` };
  const stop = async () => {
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 300; i++) {
    if (spawnSync('docker', ['version'], { env, stdio: 'ignore' }).status === 0) return { env, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error('the private dockerd did not start in 30 s');
}

async function loadAndSaveRows(env: NodeJS.ProcessEnv, work: string): Promise<BenchRow[]> {
  // 100 MB in 200 files, as one image.
  const src = path.join(work, 'src');
  fs.mkdirSync(path.join(src, 'data'), { recursive: true });
  for (let i = 1; i <= 200; i++) fs.writeFileSync(path.join(src, 'data', `f${i}`), randomBytes(512 * 1024));
  const rootfs = path.join(work, 'rootfs.tar');
  run('tar', ['-C', src, '-cf', rootfs, 'data']);
  run(cli, ['import', rootfs, 'bench:load'], env);
  const archive = path.join(work, 'image.tar');
  run(cli, ['save', '-o', archive, 'bench:load'], env);
  const diffDir = run(cli, ['inspect', '--format', '{{.GraphDriver.Data.UpperDir}}', 'bench:load'], env).trim();

  const rows: BenchRow[] = [];
  const save: number[] = [];
  const tarCf: number[] = [];
  const out = path.join(work, 'out.tar');
  for (let i = 0; i < 5; i++) {
    tarCf.push(timed('tar', ['-C', diffDir, '-cf', out, '.']));
    fs.rmSync(out);
    save.push(timed(cli, ['save', '-o', out, 'bench:load'], env));
    fs.rmSync(out);
  }
  const saveRatio = median(save) / median(tarCf);
  rows.push({
    what: '`strata save -o` of 100 MB in 200 files (CLI)',
    median: `${ms(median(save))} (${saveRatio.toFixed(2)}×)`,
    floor: `tar -cf of the same files ${ms(median(tarCf))}`,
    target: `≤ ${maxRatio}× tar -cf`,
    ok: saveRatio <= maxRatio,
  });

  run(cli, ['rmi', 'bench:load'], env);
  const docker = await privateDockerd(path.join(work, 'dockerd'));
  if (!docker) {
    rows.push({ what: '`strata load -i` of that archive (CLI)', median: '-', floor: 'docker is not installed', target: 'faster than docker load', ok: false });
    return rows;
  }
  try {
    const load: number[] = [];
    const dockerLoad: number[] = [];
    for (let i = 0; i < 5; i++) {
      dockerLoad.push(timed('docker', ['load', '-i', archive], docker.env));
      run('docker', ['rmi', 'bench:load'], docker.env);
      load.push(timed(cli, ['load', '-i', archive], env));
      run(cli, ['rmi', 'bench:load'], env);
    }
    rows.push({
      what: '`strata load -i` of that archive (CLI)',
      median: `${ms(median(load))} (${(median(load) / median(dockerLoad)).toFixed(2)}×)`,
      floor: `docker load -i ${ms(median(dockerLoad))}`,
      target: 'faster than docker load',
      ok: median(load) < median(dockerLoad),
    });
  } finally {
    await docker.stop();
  }
  return rows;
}

export async function archiveBenchmarks(root: string, work: string): Promise<BenchRow[]> {
  fs.mkdirSync(work, { recursive: true });
  const env = { ...process.env, STRATA_ROOT: root };
  try {
    return [
      ...importRows(env, work, '160,000 entries (1,000 dirs of 159 files)', (f, n) => manyEntries(f, Math.round(n / 160)), 160_000, []),
      ...importRows(env, work, '50,000 directories replaced by files', replacements, 50_000, ['--recursive-unlink']),
      ...(await loadAndSaveRows(env, work)),
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
