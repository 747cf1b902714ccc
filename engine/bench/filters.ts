// Filtered lists through the CLI on a full store: `strata ps --filter
// label=x` with 500 containers and `strata images --filter dangling=true`
// with 200 images, each beside Node's own start-up in the same run.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalClient } from '../rpc/local';
import type { BenchRow } from './images';

const runs = 11;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timed(cmd: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function filterBenchmarks(client: LocalClient, cli: string, env: NodeJS.ProcessEnv, image: string, work: string): Promise<BenchRow[]> {
  for (let i = 0; i < 500; i++) {
    await client.call('container.create', { image, cmd: ['true'], ...(i % 2 === 0 ? { labels: { x: String(i) } } : {}) });
  }
  // 200 images of one small layer: 150 left dangling by importing over the same tag, 50 tagged.
  fs.mkdirSync(work, { recursive: true });
  const tar = path.join(work, 'small.tar');
  fs.writeFileSync(path.join(work, 'file'), 'x');
  spawnSync('tar', ['-cf', tar, '-C', work, 'file']);
  for (let i = 0; i < 200; i++) {
    await client.call('image.import', { path: tar, reference: i < 150 ? 'dangle:latest' : `kept:${i}`, changes: [`LABEL n=${i}`] });
  }
  const node: number[] = [];
  const ps: number[] = [];
  const images: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(timed(process.execPath, ['-e', '']));
    ps.push(timed(cli, ['ps', '--filter', 'label=x'], env));
    images.push(timed(cli, ['images', '--filter', 'dangling=true'], env));
  }
  const floor = median(node);
  const row = (what: string, xs: number[]): BenchRow => ({
    what,
    median: ms(median(xs)),
    floor: `node -e '' ${ms(floor)}`,
    target: `≤ node + 60 ms (${ms(floor + 60)})`,
    ok: median(xs) <= floor + 60,
  });
  return [row('`strata ps --filter label=x`, 500 containers (CLI)', ps), row('`strata images --filter dangling=true`, 200 images (CLI)', images)];
}
