// The command strip's history outlives a reload (the app opened again), and "Copy all" gives every
// command that ran, oldest first, ready for a terminal or a lesson's notes.

import { expect, test } from './support/fixtures';

test('the commands that ran are still listed after a reload, and copy whole', async ({ app, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-history', command: 'true', interactive: false });
  await c.press('Start');
  await c.expectState('exited');
  await app.expectLastCommandDone(/strata start [0-9a-f]{12}/);

  // The page keeps its token in memory only: the person opens the printed address again (a new page, the same site).
  await app.reopen();
  const strip = app.commandStrip;
  await expect(strip.locator('.strip-latest')).toContainText(/strata start [0-9a-f]{12}/);
  await strip.getByRole('button', { name: /^History/ }).click();
  await expect(strip.getByRole('list', { name: 'Command history, newest first' })).toContainText('strata create --name e2e-history starter:latest true');

  await strip.getByRole('button', { name: /^Copy all \d+ commands$/ }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const lines = copied.trim().split('\n');
  const create = lines.indexOf('strata create --name e2e-history starter:latest true');
  expect(create).toBeGreaterThanOrEqual(0);
  expect(lines[create + 1]).toMatch(/^strata start [0-9a-f]{12}$/);
  expect(lines.at(-1)).toMatch(/^strata start [0-9a-f]{12}$/);
  await app.screenshotsAtSizes('history-after-reload');
});
