// SIGKILL at any step of commit, build, load, save and rmi leaves a store
// that `system check` finds clean or that `--repair` makes clean, no
// half-written archive where save writes, and the operation still works.
// $STRATA_CRASH_POINTS sets how many steps of each are tried (0: every one).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { CrashStore, crashTests, type CrashCase } from '../testing/crashLoop';

const store = new CrashStore();
const work = path.join(store.root, 'work');
const archive = path.join(work, 'toload.tar');
const context = path.join(work, 'context');
store.ok('bootstrap');
fs.mkdirSync(context, { recursive: true });
fs.writeFileSync(path.join(context, 'data'), Buffer.alloc(300_000, 7));
fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM starter\nCOPY data /data\nRUN echo built > /built\nENV STEP=3\n');
// An image to load: a layer of its own on top of the starter's, saved and removed.
store.ok('run', '--name', 'maker', 'starter', 'sh', '-c', 'head -c 300000 /dev/urandom > /random; mkdir -p /a/b; echo x > /a/b/c');
store.ok('commit', 'maker', 'toload:1');
store.ok('rm', 'maker');
store.ok('save', '-o', archive, 'toload:1');
store.ok('rmi', 'toload:1');
afterAll(() => store.dispose());

/** Intermediate containers a killed build left: what a build stopped by Docker's daemon leaves too. */
function removeAllContainers(): void {
  const ids = store.run(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) store.run(['rm', '-f', ...ids]);
}

const cases: CrashCase[] = [
  {
    name: 'commit',
    prepare: (i) => void store.ok('run', '--name', `changed${i}`, 'starter', 'sh', '-c', `head -c 200000 /dev/urandom > /data; echo ${i} > /n; rm /etc/group`),
    args: (i) => ['commit', `changed${i}`, `committed:${i}`],
    reset: (i) => {
      store.run(['rm', '-f', `changed${i}`]);
      store.run(['rmi', '-f', `committed:${i}`]);
    },
  },
  {
    name: 'build',
    args: (i) => ['build', '--no-cache', '-q', '-t', `built:${i}`, context],
    reset: (i) => {
      removeAllContainers();
      store.run(['rmi', '-f', `built:${i}`]);
      store.run(['image', 'prune', '-f']);
    },
  },
  {
    name: 'load',
    args: () => ['load', '-i', archive],
    reset: () => void store.run(['rmi', '-f', 'toload:1']),
  },
  {
    name: 'save',
    args: (i) => ['save', '-o', path.join(work, `saved${i}.tar`), 'starter'],
    // The archive is there whole, or not at all.
    after: (i) => {
      const file = path.join(work, `saved${i}.tar`);
      if (!fs.existsSync(file)) return undefined;
      const listed = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
      return listed.status === 0 && listed.stdout.includes('manifest.json') ? undefined : `a half-written archive at ${file}`;
    },
    reset: (i) => fs.rmSync(path.join(work, `saved${i}.tar`), { force: true }),
  },
  {
    name: 'rmi',
    prepare: (i) => {
      store.ok('run', '--name', `source${i}`, 'starter', 'sh', '-c', `head -c 100000 /dev/urandom > /r${i}`);
      store.ok('commit', `source${i}`, `doomed:${i}`);
      store.ok('rm', `source${i}`);
    },
    args: (i) => ['rmi', `doomed:${i}`],
    reset: (i) => void store.run(['rmi', '-f', `doomed:${i}`]),
  },
];

crashTests(store, cases);
