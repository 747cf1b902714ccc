// The Docker API beside dockerd: the docker CLI (Debian's docker.io) runs
// the same commands against `strata system service` and against a private
// dockerd holding the same image, alternating, medians of 15: `docker run
// --rm IMG true` (both with --network none: the engines, not their network
// setup), and `docker ps -a` with 500 containers on each. Target: Strata at
// most as slow as dockerd.

import { startBesideDockerd, runProgram, type Outcome } from '../dockerapi/testing/service';
import { request } from '../dockerapi/testing/wire';
import type { BenchRow } from './images';
import { median, timedAsync } from './measure';

const runs = 15;
const ms = (x: number) => `${x.toFixed(0)} ms`;

function must(what: string, o: Outcome): void {
  if (o.code !== 0) throw new Error(`${what} failed (${o.code}): ${o.stderr}`);
}

function compare(what: string, ours: number[], theirs: number[]): BenchRow {
  return { what, median: ms(median(ours)), floor: `dockerd ${ms(median(theirs))}`, target: '≤ dockerd', ok: median(ours) <= median(theirs) };
}

/** Creates containers straight through the API (the docker CLI would take minutes for 500). */
async function create500(socket: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await request(socket, 'POST', '/v1.41/containers/create', { body: JSON.stringify({ Image: 'starter', Cmd: ['true'] }) });
    if (r.status !== 201) throw new Error(`create: ${r.status} ${r.body}`);
  }
}

export async function dockerApiBenchmarks(): Promise<BenchRow[]> {
  const beside = await startBesideDockerd();
  const ours = (args: string[]) => runProgram('docker', args, beside.strata.env);
  const theirs = (args: string[]) => runProgram('docker', args, beside.dockerdEnv);
  try {
    const run = ['run', '--rm', '--network', 'none', 'starter', 'true'];
    for (let i = 0; i < 2; i++) {
      must('docker run (Strata)', await ours(run));
      must('docker run (dockerd)', await theirs(run));
    }
    const runOurs: number[] = [];
    const runTheirs: number[] = [];
    for (let i = 0; i < runs; i++) {
      runOurs.push(await timedAsync(async () => must('docker run (Strata)', await ours(run))));
      runTheirs.push(await timedAsync(async () => must('docker run (dockerd)', await theirs(run))));
    }
    await create500(beside.strata.socket);
    await create500(beside.dockerdEnv.DOCKER_HOST!.slice('unix://'.length));
    const psOurs: number[] = [];
    const psTheirs: number[] = [];
    for (let i = 0; i < runs; i++) {
      psOurs.push(await timedAsync(async () => must('docker ps -a (Strata)', await ours(['ps', '-a']))));
      psTheirs.push(await timedAsync(async () => must('docker ps -a (dockerd)', await theirs(['ps', '-a']))));
    }
    return [compare('`docker run --rm IMG true` through the Docker API', runOurs, runTheirs), compare('`docker ps -a` with 500 containers (Docker API)', psOurs, psTheirs)];
  } finally {
    await theirs(['container', 'prune', '-f']);
    await beside.stop();
  }
}
