// Debian's python3-docker (docker-py, as compose uses it) on Strata's
// socket: one script goes through containers, images, exec, networks and
// volumes, once against Strata and once
// against a private dockerd with the same image; both must see the same.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBesideDockerd, type Beside } from './testing/service';

const run = promisify(execFile);
const script = path.join(__dirname, 'testing', 'docker_py_check.py');
let beside: Beside;

beforeAll(async () => {
  beside = await startBesideDockerd();
}, 120_000);

afterAll(async () => {
  await beside?.stop();
});

/** Debian's interpreter, which has Debian's python3-docker (not a python of someone's PATH). */
const check = async (env: NodeJS.ProcessEnv) => JSON.parse((await run('/usr/bin/python3', [script, 'starter', 'networks'], { env, timeout: 120_000 })).stdout);

it('sees containers, images, exec, networks and volumes through Strata as it sees them through dockerd', async () => {
  const ours = await check(beside.strata.env);
  const theirs = await check(beside.dockerdEnv);
  expect(ours).toEqual(theirs);
  expect(ours).toMatchObject({ api: '1.41', run: 'hello from py\n', exec: [2, ['err', 'out']], built_run: 'built by py\n', loaded: [['py-built:1']] });
}, 120_000);
