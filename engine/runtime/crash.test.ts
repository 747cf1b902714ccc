// SIGKILL at any step of create, start and rm (of a stopped and of a
// running container) leaves a store that `system check` finds clean or that
// `--repair` makes clean, and the operation still works afterwards.
// $STRATA_CRASH_POINTS sets how many steps of each are tried (0: every one).

import { afterAll } from 'vitest';
import { CrashStore, crashTests, type CrashCase } from '../testing/crashLoop';

const store = new CrashStore();
store.ok('bootstrap');
afterAll(() => store.dispose());

const cases: CrashCase[] = [
  {
    name: 'create',
    args: (i) => ['create', '--name', `created${i}`, 'starter', 'sleep', '1000'],
    reset: (i) => void store.run(['rm', '-f', `created${i}`]),
  },
  {
    name: 'start',
    prepare: (i) => void store.ok('create', '--name', `started${i}`, 'starter', 'sleep', '1000'),
    args: (i) => ['start', `started${i}`],
    reset: (i) => void store.run(['rm', '-f', `started${i}`]),
  },
  {
    name: 'rm',
    prepare: (i) => void store.ok('run', '--name', `stopped${i}`, 'starter', 'sh', '-c', 'echo written > /file'),
    args: (i) => ['rm', `stopped${i}`],
    reset: (i) => void store.run(['rm', '-f', `stopped${i}`]),
  },
  {
    name: 'rm -f of a running container',
    prepare: (i) => void store.ok('run', '-d', '--name', `running${i}`, 'starter', 'sleep', '1000'),
    args: (i) => ['rm', '-f', `running${i}`],
    reset: (i) => void store.run(['rm', '-f', `running${i}`]),
  },
];

crashTests(store, cases);
