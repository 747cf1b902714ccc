// The image benchmarks: for a container that wrote 100 MB in 200 files,
// commit, save and load each beside their floor, `tar -c` of the same files
// piped into sha256sum (one read and one hash), measured alternately in the
// same run; and a 100 MB layer shared by 10 images, stored once.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalClient } from '../rpc/local';
import { collect } from '../testing/tempEngine';

export interface BenchRow {
  what: string;
  median: string;
  floor: string;
  target: string;
  ok: boolean;
}

const files = 200;
const fileKiB = 512; // 200 × 512 KiB = 100 MiB
const runs = 5;
const maxRatio = 1.5;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Milliseconds `fn` takes (awaited). */
export async function time(fn: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The floor: every file of the dir read once and hashed once. */
function tarHash(dir: string): void {
  const r = spawnSync('sh', ['-c', 'tar -c -C "$1" . | sha256sum > /dev/null', 'floor', dir]);
  if (r.status !== 0) throw new Error(`tar | sha256sum failed: ${r.stderr}`);
}

/** Bytes on disk under a dir, each inode once (du's count). */
function diskUse(dir: string): number {
  const out = spawnSync('du', ['-s', '--block-size=1', dir], { encoding: 'utf8' }).stdout;
  return Number(out.split('\t')[0]);
}

function row(what: string, op: number[], floor: number[]): BenchRow {
  const ratio = median(op) / median(floor);
  return {
    what,
    median: `${ms(median(op))} (${ratio.toFixed(2)}×)`,
    floor: `tar -c | sha256sum ${ms(median(floor))}`,
    target: `≤ ${maxRatio}× the floor`,
    ok: ratio <= maxRatio,
  };
}

export async function imageBenchmarks(client: LocalClient, image: string): Promise<BenchRow[]> {
  const call = client.call.bind(client) as LocalClient['call'];
  const { id } = await call('container.create', {
    image,
    cmd: ['sh', '-c', `mkdir /data && for i in $(seq 1 ${files}); do head -c ${fileKiB * 1024} /dev/urandom > /data/f$i; done`],
  });
  const { exitCode } = await collect(client, id);
  if (exitCode !== 0) throw new Error('the benchmark container could not write its files');
  const upper = path.join(client.engine.paths.containerDir(id), 'upper');
  const archive = path.join(client.engine.paths.root, 'bench-save.tar');
  const rows: BenchRow[] = [];

  const commit: number[] = [];
  const save: number[] = [];
  const load: number[] = [];
  const floor: number[] = [];
  tarHash(upper); // warm the page cache, as every measured run finds it
  for (let i = 0; i < runs; i++) {
    floor.push(await time(() => tarHash(upper)));
    commit.push(await time(() => call('container.commit', { id, reference: 'bench:data' })));
    save.push(await time(() => call('image.saveFile', { refs: ['bench:data'], path: archive })));
    // Loaded into a store without it: remove the image (and its 100 MB layer) first, unmeasured.
    await call('image.remove', { ref: 'bench:data', force: true });
    load.push(await time(() => call('image.load', { path: archive })));
  }
  rows.push(row(`commit: a container that wrote ${files} files, 100 MB`, commit, floor));
  rows.push(row('save -o: that image (100 MB archive)', save, floor));
  rows.push(row('load -i: that archive', load, floor));

  // Ten images on top of the 100 MB layer, each with a small layer of its own.
  const layersDir = client.engine.paths.layers;
  const before = diskUse(layersDir);
  for (let i = 0; i < 10; i++) {
    const c = await call('container.create', { image: 'bench:data', cmd: ['sh', '-c', `echo ${i} > /mine`] });
    await collect(client, c.id);
    await call('container.commit', { id: c.id, reference: `bench:child${i}` });
    await call('container.remove', { id: c.id });
  }
  const after = diskUse(layersDir);
  const shared = diskUse(path.join(upper, 'data'));
  await call('image.saveFile', { refs: Array.from({ length: 10 }, (_, i) => `bench:child${i}`), path: archive });
  const archiveSize = fs.statSync(archive).size;
  fs.rmSync(archive, { force: true });
  rows.push({
    what: 'a 100 MB layer shared by 10 images',
    median: `du layers/: ${mb(before)}, with 10 images on it ${mb(after)}; their save ${mb(archiveSize)}`,
    floor: `one copy: ${mb(shared)}`,
    target: 'stored once, saved once',
    ok: after - before < 0.1 * shared && archiveSize < 1.2 * shared,
  });
  await call('container.remove', { id, force: true });
  return rows;
}
