// The registry benchmarks, each beside its peers in the same run, medians
// of 5: a pull of a 5-layer, 100 MB image from a docker-registry on the
// loopback (strata pull from the CLI, download + verify + unpack, into a
// fresh root each time) beside `docker pull` (a private dockerd, the image
// removed between runs) and `skopeo copy docker://… oci:DIR` (which does
// not unpack); a push of it beside `docker push`, each into a fresh
// registry; and a pull when 3 of its 5 layers are here already.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchRow } from './images';
import { startDockerd } from '../registry/testing/dockerd';
import { dockerArchive, skopeoPush, type LayerSpec } from '../registry/testing/images';
import { startRegistry, type RegistryServer } from '../registry/testing/registryServer';

const runs = 5;
const cli = path.resolve(__dirname, '..', '..', '..', 'bin', 'strata');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timed(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

function strata(env: NodeJS.ProcessEnv, args: string[]): void {
  const r = spawnSync(cli, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`strata ${args.join(' ')} failed: ${r.stderr}`);
}

export async function registryBenchmarks(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-registry-'));
  const registries: RegistryServer[] = [];
  const newRegistry = async () => {
    const r = await startRegistry({ dir: path.join(dir, `registry-${registries.length}`) });
    registries.push(r);
    return r;
  };
  const docker = await startDockerd(path.join(dir, 'dockerd'), ['127.0.0.0/8']);
  try {
    // 5 layers of 20 MB that do not compress: what crosses the loopback is 100 MB.
    const layers: LayerSpec[] = Array.from({ length: 5 }, (_, i) => ({ files: { [`data/layer${i}`]: randomBytes(20_000_000) }, createdBy: `ADD layer${i} /data/` }));
    const registry = await newRegistry();
    const ref = `${registry.host}/bench/hundred:1`;
    skopeoPush(dockerArchive(dir, 'bench/hundred:1', layers).archive, ref);
    const three = `${registry.host}/bench/three:1`;
    skopeoPush(dockerArchive(dir, 'bench/three:1', layers.slice(0, 3)).archive, three);

    const pulls: number[] = [];
    const dockerPulls: number[] = [];
    const skopeoCopies: number[] = [];
    const partial: number[] = [];
    for (let i = 0; i < runs; i++) {
      const root = path.join(dir, `root-${i}`);
      const env = { ...process.env, STRATA_ROOT: root };
      pulls.push(timed(() => strata(env, ['pull', '-q', ref])));
      fs.rmSync(root, { recursive: true, force: true });
      dockerPulls.push(await timedAsync(() => docker.docker(['pull', '-q', ref])));
      await docker.docker(['rmi', ref]);
      const oci = path.join(dir, `oci-${i}`);
      skopeoCopies.push(timed(() => execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${oci}`], { stdio: 'ignore' })));
      fs.rmSync(oci, { recursive: true, force: true });
      strata(env, ['pull', '-q', three]);
      partial.push(timed(() => strata(env, ['pull', '-q', ref])));
      if (i < runs - 1) fs.rmSync(root, { recursive: true, force: true });
    }

    // Push what was pulled (last root), each time into an empty registry, beside docker pushing its copy.
    const env = { ...process.env, STRATA_ROOT: path.join(dir, `root-${runs - 1}`) };
    await docker.docker(['pull', '-q', ref]);
    const pushes: number[] = [];
    const dockerPushes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const ours = await newRegistry();
      strata(env, ['tag', ref, `${ours.host}/bench/pushed:1`]);
      pushes.push(timed(() => strata(env, ['push', '-q', `${ours.host}/bench/pushed:1`])));
      await ours.stop();
      const theirs = await newRegistry();
      await docker.docker(['tag', ref, `${theirs.host}/bench/pushed:1`]);
      dockerPushes.push(await timedAsync(() => docker.docker(['push', '-q', `${theirs.host}/bench/pushed:1`])));
      await theirs.stop();
    }
    const pull = median(pulls);
    const dockerPull = median(dockerPulls);
    const skopeoCopy = median(skopeoCopies);
    return [
      {
        what: 'strata pull, 5 layers × 20 MB, loopback registry (CLI)',
        median: ms(pull),
        floor: `docker pull ${ms(dockerPull)}`,
        target: `≤ docker pull`,
        ok: pull <= dockerPull,
      },
      {
        what: 'strata pull beside skopeo copy to oci: (no unpack)',
        median: ms(pull),
        floor: `skopeo copy ${ms(skopeoCopy)}`,
        target: `≤ 1.3 × skopeo (${ms(skopeoCopy * 1.3)})`,
        ok: pull <= skopeoCopy * 1.3,
      },
      {
        what: 'strata pull with 3 of 5 layers here (CLI)',
        median: ms(median(partial)),
        floor: `full pull ${ms(pull)}`,
        target: 'report (2 layers to fetch)',
        ok: true,
      },
      {
        what: 'strata push of that image into an empty registry (CLI)',
        median: ms(median(pushes)),
        floor: `docker push ${ms(median(dockerPushes))}`,
        target: '≤ docker push',
        ok: median(pushes) <= median(dockerPushes),
      },
    ];
  } finally {
    await docker.stop();
    for (const r of registries) await r.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
