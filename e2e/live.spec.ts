// The app follows the engine: a change made with `strata` in another
// process shows in the open page, no reload. (The quarter-of-a-second
// target is measured by `npm run bench`, not asserted in a timed test.)

import { expect, test } from './support/fixtures';
import { strata } from './support/cli';

test('a `strata pause` in a terminal shows in the open page without a reload, and `strata rm -f` too', async ({ app }, testInfo) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-live', command: 'sleep 600', interactive: false });
  await c.press('Start');
  await c.expectState('running');

  const shown = await c.whenStateShows('paused');
  const pause = await strata(['pause', 'e2e-live']);
  expect(pause.code, pause.stderr).toBe(0);
  const latency = (await shown()) - pause.exitedAt;
  testInfo.annotations.push({ type: 'latency', description: `strata pause → page: ${latency} ms` });
  expect(latency).toBeLessThan(2_000);
  await app.screenshot('paused-from-cli');

  const list = await app.containers();
  await list.expectListed('e2e-live');
  const rm = await strata(['rm', '-f', 'e2e-live']);
  expect(rm.code, rm.stderr).toBe(0);
  await expect(list.row('e2e-live')).toHaveCount(0, { timeout: 2_000 });
  await app.screenshot('removed-from-cli');
});

test('a container whose command ends on its own shows as exited, without a reload', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-ends', command: "sh -c 'echo bye; sleep 1'", interactive: false });
  await c.press('Start');
  await c.expectState('exited');
  await app.screenshot('ended-on-its-own');
});
