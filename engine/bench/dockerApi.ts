// The Docker API beside dockerd: the docker CLI (Debian's docker.io) runs
// the same commands against `strata system service` and against a private
// dockerd holding the same image, taking turns (each engine first every
// other time, so neither always runs in the other's wake), medians of 15
// (31 for the quick `ps`): `docker run --rm IMG true` (both with --network
// none: the engines, not their network setup), and `docker ps -a` with 500
// containers on each, and the request it makes timed on its own (most of
// `docker ps` is the CLI's own start and formatting, the same both ways).
// Target: Strata at most as slow as dockerd.

import { startBesideDockerd, runProgram, type Outcome } from '../dockerapi/testing/service';
import { request } from '../dockerapi/testing/wire';
import type { BenchRow } from './images';
import { median, timedAsync } from './measure';

const runs = 15;
const psRuns = 31;
const ms = (x: number) => `${x.toFixed(0)} ms`;

function must(what: string, o: Outcome): void {
  if (o.code !== 0) throw new Error(`${what} failed (${o.code}): ${o.stderr}`);
}

function compare(what: string, ours: number[], theirs: number[]): BenchRow {
  return { what, median: ms(median(ours)), floor: `dockerd ${ms(median(theirs))}`, target: '≤ dockerd', ok: median(ours) <= median(theirs) };
}

/** Times `ours` and `theirs` `n` times each, taking turns at going first. */
async function inTurns(n: number, ours: () => Promise<void>, theirs: () => Promise<void>): Promise<[number[], number[]]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 2) b.push(await timedAsync(theirs));
    a.push(await timedAsync(ours));
    if (!(i % 2)) b.push(await timedAsync(theirs));
  }
  return [a, b];
}

async function listAll(socket: string): Promise<void> {
  const r = await request(socket, 'GET', '/v1.41/containers/json?all=1');
  if (r.status !== 200) throw new Error(`list: ${r.status} ${r.body}`);
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
    const [runOurs, runTheirs] = await inTurns(
      runs,
      async () => must('docker run (Strata)', await ours(run)),
      async () => must('docker run (dockerd)', await theirs(run)),
    );
    const sockets = { ours: beside.strata.socket, theirs: beside.dockerdEnv.DOCKER_HOST!.slice('unix://'.length) };
    await create500(sockets.ours);
    await create500(sockets.theirs);
    const [psOurs, psTheirs] = await inTurns(
      psRuns,
      async () => must('docker ps -a (Strata)', await ours(['ps', '-a'])),
      async () => must('docker ps -a (dockerd)', await theirs(['ps', '-a'])),
    );
    const [listOurs, listTheirs] = await inTurns(psRuns, () => listAll(sockets.ours), () => listAll(sockets.theirs));
    return [
      compare('`docker run --rm IMG true` through the Docker API', runOurs, runTheirs),
      compare('`docker ps -a` with 500 containers (Docker API)', psOurs, psTheirs),
      compare('GET /containers/json?all=1, 500 containers', listOurs, listTheirs),
    ];
  } finally {
    await theirs(['container', 'prune', '-f']);
    await beside.stop();
  }
}
