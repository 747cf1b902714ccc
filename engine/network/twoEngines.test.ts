// Two engines on one host, side by side, as two users with roots of their
// own: each has its own bridges and subnets, but their networks have the same
// names (every engine has a `bridge`). They start, stop and remove containers
// at the same moments, so each teardown (a network's last container leaving)
// comes while the other engine has a container on a network of that name.
// Nothing of one may be torn down by the other, nothing may fail and nothing
// may be left. (Runs the compiled CLI: `npm test` builds first.)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { networkKeys } from './settings';
import { networkLeftovers } from '../testing/leftovers';
import { claimTestNetwork, type TestNetwork } from '../testing/testNetwork';

const cli = path.resolve(__dirname, '..', '..', 'bin', 'strata');

interface Engine {
  root: string;
  configRoot: string;
  env: NodeJS.ProcessEnv;
  /** Its default bridge, then its `shared` network's. */
  bridges: [string, string];
}

let testNet: TestNetwork;
const engines: Engine[] = [];

function strata(e: Engine, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { env: e.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The same command in both engines at once; each must succeed. */
async function both(...args: string[]): Promise<void> {
  const results = await Promise.all(engines.map((e) => strata(e, args)));
  for (const r of results) expect({ command: args.join(' '), status: r.status, stderr: r.stderr }).toEqual({ command: args.join(' '), status: 0, stderr: '' });
}

/** Teardowns a container's monitor recorded as failed (its run dir's kernel record). */
function teardownFailures(e: Engine): string[] {
  const runRoot = path.join(e.root, 'run');
  return fs
    .readdirSync(runRoot)
    .filter((id) => fs.existsSync(path.join(runRoot, id, 'kernel.jsonl')))
    .flatMap((id) => fs.readFileSync(path.join(runRoot, id, 'kernel.jsonl'), 'utf8').split('\n'))
    .filter((line) => line.includes('"network_down_failed"'));
}

beforeAll(async () => {
  testNet = claimTestNetwork();
  // Each engine takes half of this process's /20: its bridge on the half's first /24, user networks from the rest.
  for (const half of [0, 1]) {
    const base = testNet.subnet.base + half * 2 ** (32 - (testNet.subnet.prefix + 1));
    const bridge = `${testNet.bridge}${'ab'[half]}`;
    const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-two-config-'));
    fs.mkdirSync(path.join(configRoot, 'strata'));
    const keys = networkKeys(bridge, { base, prefix: 24 }, { base, prefix: testNet.subnet.prefix + 1 }, 24);
    fs.writeFileSync(path.join(configRoot, 'strata', 'config.json'), JSON.stringify(keys));
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-two-'));
    engines.push({ root, configRoot, env: { ...process.env, STRATA_ROOT: root, STRATA_CONFIG_ROOT: configRoot }, bridges: [bridge, `${bridge}s`] });
  }
  await both('bootstrap');
  await Promise.all(engines.map((e) => strata(e, ['network', 'create', '-o', `com.docker.network.bridge.name=${e.bridges[1]}`, 'shared'])));
});

afterAll(async () => {
  for (const e of engines) {
    const ids = (await strata(e, ['ps', '-aq'])).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await strata(e, ['rm', '-f', ...ids]);
    await strata(e, ['network', 'rm', 'shared']);
    fs.rmSync(e.root, { recursive: true, force: true });
    fs.rmSync(e.configRoot, { recursive: true, force: true });
  }
});

it('two engines starting, stopping and removing containers at once on same-named networks: nothing fails, nothing is left', async () => {
  for (let round = 0; round < 3; round++) {
    // Both engines' containers are up before either goes.
    await both('run', '-d', '--name', `b${round}`, 'starter', 'sleep', '600');
    await both('run', '-d', '--name', `s${round}`, '--network', 'shared', 'starter', 'sleep', '600');
    await both('stop', '-t', '0', `b${round}`, `s${round}`);
    for (const e of engines) expect(teardownFailures(e)).toEqual([]);
    await both('rm', `b${round}`, `s${round}`);
  }
  await both('network', 'rm', 'shared');
  for (const e of engines) expect(networkLeftovers(e.root, testNet.subnet, engines.flatMap((x) => x.bridges))).toEqual([]);
});
