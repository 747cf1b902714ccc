// Tooltips say what a button equals (or why it is refused), go away the
// moment the button is pressed instead of covering what comes next, and stay
// whole inside the window at its edges.

import { expect, test } from './support/fixtures';
import { expectInsideWindow } from './support/window';

test('a tooltip shows on hover, goes away when its button is pressed, and comes back only on a new hover', async ({ app, page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-tips', command: 'sleep 600', interactive: false });
  const tips = page.getByRole('tooltip');

  await c.button('Pause').hover();
  await expect(tips.filter({ visible: true })).toHaveText(/is not running/);

  const start = c.button('Start');
  await start.hover();
  await expect(tips.filter({ visible: true })).toHaveText(/^strata start [0-9a-f]{12}$/);
  await start.click();
  await c.expectState('running');
  // Pressed: gone, though the pointer has not moved.
  await expect(tips.filter({ visible: true })).toHaveCount(0);
  await page.mouse.move(5, 5);
  await c.button('Stop').hover();
  await expect(tips.filter({ visible: true })).toHaveText(/^strata stop [0-9a-f]{12}$/);
  await page.keyboard.press('Escape');
  await expect(tips.filter({ visible: true })).toHaveCount(0);
  await c.press('Kill');
});

test('tooltips at the window’s edges stay whole inside it', async ({ app, page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const images = await app.images();
  // The Run button of a row sits at the right edge; its command is wider than the room to its right.
  const run = images.row('starter').first().getByRole('button', { name: 'Run', exact: true });
  await run.hover();
  const tip = page.getByRole('tooltip').filter({ visible: true });
  await expect(tip).toHaveText(/^strata run -d -it starter:latest$/);
  await expectInsideWindow(page, tip);
  await app.screenshotsAtSizes('tooltip-at-right-edge');

  // The header's buttons sit near the top: their tips must not go above it.
  const load = page.getByRole('button', { name: 'Load…', exact: true });
  await load.hover();
  await expect(tip).toHaveText('strata load -i FILE.tar');
  await expectInsideWindow(page, tip);
});
