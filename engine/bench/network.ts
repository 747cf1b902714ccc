// Networking's cost, beside the same work without it and beside Docker's:
// a container's start with the default bridge and one published port, from
// the CLI (`strata run -d -p`) and in process, against `--network none`;
// `docker run -d -p` against `docker run -d --network none` on a private
// dockerd with a bridge of its own (a subnet of this run's) and iptables, on
// the same host rules as Strata's; every rule and chain it adds is removed
// after it; the teardown (`rm -f`);
// and 50 containers on one user network started and removed. Medians; the
// machine is shared, so each figure sits beside its floor from the same run.
// What a start pays for its network is netavark's time less the making of the
// container, which it overlaps (engine/native/shim/network_early.h).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDockerd } from '../registry/testing/dockerd';
import { openLocalClient, type LocalClient } from '../rpc/local';
import { formatSubnet } from '../network/ipv4';
import { claimTestNetwork } from '../testing/testNetwork';
import type { BenchRow } from './images';

const cli = path.resolve(__dirname, '..', '..', '..', 'bin', 'strata');
const runs = 11;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

function timed<T>(fn: () => T): [number, T] {
  const t0 = process.hrtime.bigint();
  const out = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, out];
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function command(bin: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(bin, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Start (`run -d`) and removal (`rm -f`) times, alternating the networked and the plain way. */
function startAndRemove(run: (networked: boolean, i: number) => string, remove: (id: string) => void) {
  const t = { start: [[], []] as number[][], rm: [[], []] as number[][] };
  for (let i = 0; i < runs; i++) {
    for (const networked of [true, false]) {
      const [start, id] = timed(() => run(networked, i));
      const [rm] = timed(() => remove(id));
      t.start[networked ? 0 : 1].push(start);
      t.rm[networked ? 0 : 1].push(rm);
    }
  }
  return { start: t.start.map(median), rm: t.rm.map(median) };
}

async function inProcess(client: LocalClient, image: string) {
  const start: number[][] = [[], []];
  const rm: number[][] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const networked of [true, false]) {
      const { id } = await client.call('container.create', {
        image,
        cmd: ['sleep', '600'],
        ...(networked ? { portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(18900 + i) }] } } : { networkMode: 'none' }),
      });
      start[networked ? 0 : 1].push(await timedAsync(() => client.call('container.start', { id })));
      rm[networked ? 0 : 1].push(await timedAsync(() => client.call('container.remove', { id, force: true })));
    }
  }
  return { start: start.map(median), rm: rm.map(median) };
}

async function fifty(client: LocalClient, image: string): Promise<{ start: number; total: number; remove: number }> {
  await client.call('network.create', { name: 'fifty' });
  const ids: string[] = [];
  const starts: number[] = [];
  const total = await timedAsync(async () => {
    for (let i = 0; i < 50; i++) {
      const { id } = await client.call('container.create', { image, cmd: ['sleep', '600'], networkMode: 'fifty' });
      starts.push(await timedAsync(() => client.call('container.start', { id })));
      ids.push(id);
    }
  });
  const remove = await timedAsync(() => Promise.all(ids.map((id) => client.call('container.remove', { id, force: true }))));
  await client.call('network.remove', { ref: 'fifty' });
  return { start: median(starts), total, remove };
}

type Rules = Map<string, { chains: Set<string>; rules: string[] }>;

/** iptables-save, per table: its chains and rules (as `-A CHAIN ...` lines). */
function iptablesRules(): Rules {
  const tables: Rules = new Map();
  let current: { chains: Set<string>; rules: string[] } | undefined;
  for (const line of execFileSync('iptables-save', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')) {
    if (line.startsWith('*')) tables.set(line.slice(1), (current = { chains: new Set(), rules: [] }));
    else if (line.startsWith(':')) current?.chains.add(line.slice(1).split(' ')[0]);
    else if (line.startsWith('-A ')) current?.rules.push(line);
  }
  return tables;
}

/** A saved rule's words, as iptables takes them back ("quoted comments" kept whole). */
const words = (rule: string) => (rule.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, '$1'));

/** Removes the rules and chains added since `before`: what a dockerd with iptables leaves. */
function restoreIptables(before: Rules): void {
  const after = iptablesRules();
  for (const [table, now] of after) {
    const was = before.get(table) ?? { chains: new Set<string>(), rules: [] };
    for (const rule of now.rules) if (!was.rules.includes(rule)) spawnSync('iptables', ['-t', table, '-D', ...words(rule).slice(1)]);
    for (const chain of now.chains) if (!was.chains.has(chain)) {
      spawnSync('iptables', ['-t', table, '-F', chain]);
      spawnSync('iptables', ['-t', table, '-X', chain]);
    }
  }
}

async function docker(dir: string, rootfs: string, subnet: string) {
  const bridge = `stbd${process.pid % 100000}`;
  const rules = iptablesRules();
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', subnet.replace(/\.0\/24$/, '.1/24'), 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const d = await startDockerd(path.join(dir, 'dockerd'), [], { bridge }).catch((err) => {
    execFileSync('ip', ['link', 'del', bridge]);
    throw err;
  });
  try {
    await d.docker(['import', rootfs, 'bench:1']);
    const sock = `unix://${path.join(dir, 'dockerd', 'sock')}`;
    const dockerCli = (args: string[]) => command('docker', ['-H', sock, ...args], { ...process.env, DOCKER_CONFIG: path.join(dir, 'dockerd', 'cli') });
    return startAndRemove(
      (networked, i) => dockerCli(['run', '-d', ...(networked ? ['-p', `127.0.0.1:${18800 + i}:80`] : ['--network', 'none']), 'bench:1', 'sleep', '600']),
      (id) => dockerCli(['rm', '-f', id]),
    );
  } finally {
    await d.stop();
    execFileSync('ip', ['link', 'del', bridge]);
    restoreIptables(rules);
  }
}

export async function networkBenchmarks(): Promise<BenchRow[]> {
  const claim = claimTestNetwork();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-network-'));
  const root = path.join(dir, 'root');
  const env = { ...process.env, STRATA_ROOT: root };
  const client = openLocalClient({ root });
  try {
    const { reference } = await client.call('image.bootstrap', {});
    const { id: base } = await client.call('container.create', { image: reference, cmd: ['true'], networkMode: 'none' });
    const rootfs = path.join(dir, 'rootfs.tar');
    await client.call('container.exportFile', { id: base, path: rootfs });
    await client.call('container.remove', { id: base });

    const strataCli = startAndRemove(
      (networked, i) => command(cli, ['run', '-d', ...(networked ? ['-p', `127.0.0.1:${18700 + i}:80`] : ['--network', 'none']), reference, 'sleep', '600'], env),
      (id) => command(cli, ['rm', '-f', id], env),
    );
    const api = await inProcess(client, reference);
    const many = await fifty(client, reference);
    // Docker's bridge takes the last /24 of this run's claim (Strata's pool starts at its first).
    const theirs = await docker(dir, rootfs, formatSubnet({ base: claim.subnet.base + 2 ** (32 - claim.subnet.prefix) - 256, prefix: 24 }));

    const added = strataCli.start[0] - strataCli.start[1];
    const dockerAdded = theirs.start[0] - theirs.start[1];
    return [
      { what: '`strata run -d -p` (CLI, default bridge + 1 port)', median: ms(strataCli.start[0]), floor: `--network none ${ms(strataCli.start[1])}`, target: '', ok: true },
      {
        what: 'networking added to a CLI start',
        median: ms(added),
        floor: `docker's: ${ms(dockerAdded)} (run -d -p ${ms(theirs.start[0])}, none ${ms(theirs.start[1])})`,
        target: `≤ 150 ms and < docker's`,
        ok: added <= 150 && added < dockerAdded,
      },
      { what: 'container.start, default bridge + 1 port (API)', median: ms(api.start[0]), floor: `--network none ${ms(api.start[1])}`, target: '', ok: true },
      {
        what: 'teardown: `strata rm -f` of a running one (CLI)',
        median: ms(strataCli.rm[0]),
        floor: `none ${ms(strataCli.rm[1])}; docker rm -f ${ms(theirs.rm[0])} (none ${ms(theirs.rm[1])})`,
        target: '',
        ok: true,
      },
      { what: 'teardown: container.remove force (API)', median: ms(api.rm[0]), floor: `--network none ${ms(api.rm[1])}`, target: '', ok: true },
      {
        what: '50 containers on one network: started one by one',
        median: `${ms(many.total)} (each ${ms(many.start)})`,
        floor: `all 50 removed at once ${ms(many.remove)}`,
        target: '',
        ok: true,
      },
    ];
  } finally {
    for (const c of await client.call('container.list', { all: true })) await client.call('container.remove', { id: c.id, force: true });
    client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
