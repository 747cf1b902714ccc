// Rootless mode's cost beside root mode's, alternated in pairs so the
// machine's noise of the moment hits both: `strata run --rm IMG true` (the
// user's namespace entered by the launcher, then the same engine; target at
// most 1.5× root's) and `strata load -i` of a 100 MB archive in 200 files
// (unpacked inside the user namespace). Both modes use the CLI, --network none.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestUser, usersBase } from '../testing/desktopUser';
import { median, type BenchRow } from './images';

const cli = path.resolve(__dirname, '..', '..', '..', 'bin', 'strata');
const maxRatio = 1.5;

function timedRun(argv: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', cwd: '/' });
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return elapsed;
}

/** A 100 MB image archive (200 files of 512 KiB), saved by root mode into `dir`. */
function hundredMegabyteArchive(env: NodeJS.ProcessEnv, dir: string): string {
  const rootfs = path.join(dir, 'rootfs');
  fs.mkdirSync(path.join(rootfs, 'data'), { recursive: true });
  for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(rootfs, 'data', `f${i}`), crypto.randomBytes(512 * 1024));
  const tar = path.join(dir, 'rootfs.tar');
  spawnSync('tar', ['-C', rootfs, '-cf', tar, '.']);
  timedRun([cli, 'import', tar, 'bench:rootless'], env);
  const archive = path.join(dir, 'load.tar');
  timedRun([cli, 'save', '-o', archive, 'bench:rootless'], env);
  timedRun([cli, 'rmi', 'bench:rootless'], env);
  fs.chmodSync(archive, 0o644);
  fs.rmSync(rootfs, { recursive: true, force: true });
  return archive;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

function pairRow(what: string, rootless: number[], root: number[]): BenchRow {
  const ratio = median(rootless) / median(root);
  return { what, median: `${ms(median(rootless))} (${ratio.toFixed(2)}×)`, floor: `root mode ${ms(median(root))}`, target: `≤ ${maxRatio}× root mode`, ok: ratio <= maxRatio };
}

export async function rootlessBenchmarks(): Promise<BenchRow[]> {
  const base = usersBase();
  const rootStore = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-rootmode-'));
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_ROOT: rootStore };
  delete env.STRATA_RUNROOT;
  const user = TestUser.create(`strbench${process.pid % 10000}`, base);
  try {
    timedRun([cli, 'bootstrap'], env);
    const boot = user.strata(['bootstrap'], { inCgroup: false });
    if (boot.code !== 0) throw new Error(`rootless bootstrap: ${boot.stderr}`);
    const runArgs = ['run', '--rm', '--network', 'none', 'starter', 'true'];
    const asUser = user.argv([cli, ...runArgs], false);
    for (let i = 0; i < 3; i++) {
      // warm-up: page cache, the user's namespace keeper
      timedRun(asUser);
      timedRun([cli, ...runArgs], env);
    }
    const run = { rootless: [] as number[], root: [] as number[] };
    for (let i = 0; i < 15; i++) {
      run.rootless.push(timedRun(asUser));
      run.root.push(timedRun([cli, ...runArgs], env));
    }
    const archive = hundredMegabyteArchive(env, base);
    const load = { rootless: [] as number[], root: [] as number[] };
    for (let i = 0; i < 5; i++) {
      load.rootless.push(timedRun(user.argv([cli, 'load', '-i', archive], false)));
      timedRun(user.argv([cli, 'rmi', 'bench:rootless'], false));
      load.root.push(timedRun([cli, 'load', '-i', archive], env));
      timedRun([cli, 'rmi', 'bench:rootless'], env);
    }
    return [
      pairRow('`strata run --rm IMG true` rootless (CLI)', run.rootless, run.root),
      { ...pairRow('`strata load -i` of 100 MB in 200 files rootless (CLI)', load.rootless, load.root), target: 'beside root mode', ok: true },
    ];
  } finally {
    user.remove();
    fs.rmSync(rootStore, { recursive: true, force: true });
    fs.rmSync(base, { recursive: true, force: true });
  }
}
