// Seccomp's and stats' costs: a container's run under Docker's default
// profile against the same run with seccomp=unconfined, alternated so the
// machine's load of the moment weighs on both (the figure is the median of
// the paired differences, which the load of a shared machine blurs by a few
// milliseconds); what the launcher itself spends on the filter, as it
// records it (compiling the profile, and the kernel taking the program); and
// `strata stats --no-stream` over 50 running containers, beside its own
// one-second sampling interval (Docker's).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalClient } from '../rpc/local';
import { collect } from '../testing/tempEngine';
import { median, time, type BenchRow } from './images';

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Runs `true` to its end; returns the launcher's seccomp record (compileMicros, installMicros...), if it made one. */
async function runTrue(client: LocalClient, image: string, securityOpt: string[]): Promise<Record<string, string> | undefined> {
  const { id } = await client.call('container.create', { image, cmd: ['true'], securityOpt });
  await collect(client, id);
  const steps = fs.readFileSync(path.join(client.engine.paths.runDir(id), 'kernel.jsonl'), 'utf8').split('\n').filter(Boolean);
  await client.call('container.remove', { id });
  return steps.map((l) => JSON.parse(l) as { step: string; detail: Record<string, string> }).find((s) => s.step === 'seccomp')?.detail;
}

async function seccompCost(client: LocalClient, image: string): Promise<BenchRow[]> {
  const pairs = 60;
  const filtered: number[] = [];
  const unconfined: number[] = [];
  const launcher: number[] = [];
  let filter: Record<string, string> | undefined;
  for (let i = 0; i < pairs; i++) {
    // Each pair in both orders by turns: neither always runs on the warmer cache.
    const first = i % 2 === 0;
    const withFilter = async () => {
      const t0 = process.hrtime.bigint();
      filter = await runTrue(client, image, []);
      filtered.push(Number(process.hrtime.bigint() - t0) / 1e6);
      launcher.push((Number(filter!.compileMicros) + Number(filter!.installMicros)) / 1000);
    };
    const without = async () => void unconfined.push(await time(() => runTrue(client, image, ['seccomp=unconfined'])));
    if (first) await withFilter().then(without);
    else await without().then(withFilter);
  }
  const diffs = filtered.map((f, i) => f - unconfined[i]);
  const added = median(diffs);
  // The median's own spread on this machine (1.4826 MAD / √n, times 1.25 for a median): other work moves single runs by milliseconds.
  const spread = (1.25 * 1.4826 * median(diffs.map((d) => Math.abs(d - added)))) / Math.sqrt(pairs);
  return [
    {
      what: `the launcher's seccomp work per start: compile ${filter!.syscalls} calls to ${filter!.instructions} BPF instructions, install`,
      median: ms(median(launcher)),
      floor: '—',
      target: '< 2 ms',
      ok: median(launcher) < 2,
    },
    {
      what: `run IMG true with Docker's seccomp profile, over seccomp=unconfined (API, ${pairs} pairs, paired differences)`,
      median: `${added >= 0 ? '+' : ''}${ms(added)} ± ${ms(spread)}`,
      floor: `unconfined run ${ms(median(unconfined))}`,
      target: '< 2 ms added (within ±2σ)',
      ok: added - 2 * spread < 2,
    },
  ];
}

async function statsOf50(client: LocalClient, image: string, env: NodeJS.ProcessEnv, cli: string): Promise<BenchRow[]> {
  for (let i = 0; i < 50; i++) {
    const { id } = await client.call('container.create', { image, cmd: ['sleep', '1000'] });
    await client.call('container.start', { id });
  }
  const cliRuns: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < 5; i++) {
    node.push(await time(() => spawnSync(process.execPath, ['-e', ''])));
    cliRuns.push(
      await time(() => {
        const r = spawnSync(cli, ['stats', '--no-stream'], { env, encoding: 'utf8' });
        if (r.status !== 0 || r.stdout.split('\n').length !== 52) throw new Error(`stats --no-stream: ${r.stderr}`);
      }),
    );
  }
  // Two samples 100 ms apart, in process: what reading 50 containers' cgroups costs.
  const samples: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = await time(
      () =>
        new Promise<void>((resolve, reject) =>
          client.open('container.stats', { once: true, intervalMs: 100 }, { onMessage() {}, onEnd: (e) => (e ? reject(new Error(e.message)) : resolve()) }),
        ),
    );
    samples.push((t - 100) / 2);
  }
  return [
    {
      what: '`strata stats --no-stream`, 50 running containers (CLI)',
      median: ms(median(cliRuns)),
      floor: `its 1 s sampling interval + node -e '' ${ms(median(node))}`,
      target: '≤ interval + node + 300 ms',
      ok: median(cliRuns) <= 1000 + median(node) + 300,
    },
    {
      what: 'one stats sample of 50 running containers (API)',
      median: ms(median(samples)),
      floor: '—',
      target: '≤ 50 ms',
      ok: median(samples) <= 50,
    },
  ];
}

export async function limitsBenchmarks(client: LocalClient, image: string, env: NodeJS.ProcessEnv, cli: string): Promise<BenchRow[]> {
  await runTrue(client, image, []); // warm-up
  const rows = await seccompCost(client, image);
  rows.push(...(await statsOf50(client, image, env, cli)));
  for (const c of await client.call('container.list', { all: true })) await client.call('container.remove', { id: c.id, force: true });
  return rows;
}
