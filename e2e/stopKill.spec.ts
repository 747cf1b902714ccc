// Stop and kill, told apart: a stop sends SIGTERM and counts down its grace
// period, then SIGKILL, and the exit code reads 137 = 128 + 9; a process that
// handles SIGTERM ends within the grace with 143 = 128 + 15; a kill sends
// SIGKILL at once. What the panel says comes from the engine's own events.

import { expect, test } from './support/fixtures';

test('stop shows SIGTERM, the grace period counting down, then SIGKILL and 137 = 128 + 9', async ({ app }) => {
  const containers = await app.containers();
  // sleep as PID 1 has no SIGTERM handler, so it ignores the signal: the grace runs out.
  const c = await containers.create({ name: 'e2e-stop', command: 'sleep 600', interactive: false, stopTimeout: '4' });
  await c.press('Start');
  await c.expectState('running');
  await c.button('Stop').click();
  await expect(c.signalPanel).toContainText('Sent SIGTERM (15) to the container’s processes, with a grace period of 4 s');
  await expect(app.page.getByTestId('grace-countdown')).toContainText(/SIGKILL in [1-4] s/);
  await app.screenshotsAtSizes('stop-grace-countdown');
  await expect(c.signalPanel).toContainText('The grace period ran out: sent SIGKILL (9)', { timeout: 15_000 });
  await c.expectState('exited');
  await expect(app.page.getByTestId('exit-meaning')).toContainText('137 = 128 + 9: ended by SIGKILL');
  await expect(app.page.getByTestId('exit-code-meaning')).toHaveText('137 = 128 + 9: ended by SIGKILL');
  await app.screenshot('stopped-after-sigkill');
});

test('a process that handles SIGTERM ends within the grace period: 143 = 128 + 15, no SIGKILL', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-stop-handled', command: `sh -c "trap 'exit 143' TERM; sleep 600 & wait"`, interactive: false });
  await c.press('Start');
  await c.expectState('running');
  await c.press('Stop');
  await c.expectState('exited');
  await expect(app.page.getByTestId('exit-meaning')).toContainText('143 = 128 + 15: ended by SIGTERM, within the grace period');
  await expect(c.signalPanel).not.toContainText('SIGKILL (9)');
});

test('kill sends SIGKILL at once, with no grace period', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-kill', command: 'sleep 600', interactive: false });
  await c.press('Start');
  await c.expectState('running');
  await c.press('Kill');
  await expect(c.signalPanel).toContainText('Sent SIGKILL (9) to the container’s processes, at once: no grace period.');
  await expect(app.page.getByTestId('grace-countdown')).toHaveCount(0);
  await c.expectState('exited');
  await expect(app.page.getByTestId('exit-meaning')).toContainText('137 = 128 + 9: ended by SIGKILL');
  await app.screenshot('killed');
});
