// What a Docker Desktop user reaches for in the lists, at 1280 × 720: each
// container row starts or stops it and holds the rest of its lifecycle in a
// "⋯" menu; each image row runs it and holds Create, Tag, History, Save, Push and
// Remove in its menu, all inside the window. An image a container uses is
// not removed: the refusal names that container and offers -f where Docker
// allows it.

import { expect, test } from './support/fixtures';
import { strata } from './support/cli';
import { expectInsideWindow } from './support/window';

test('a container row starts, pauses, unpauses, kills and removes it from its button and menu', async ({ app, page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  let containers = await app.containers();
  await containers.create({ name: 'e2e-rows', command: 'sleep 600', interactive: false });
  containers = await app.containers();
  const row = containers.row('e2e-rows');
  const actions = containers.rowActions('e2e-rows');
  await expectInsideWindow(page, actions);

  await actions.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(row.locator('.state')).toContainText('running');
  await expect(actions.getByRole('button', { name: 'Stop', exact: true })).toBeVisible();

  await actions.getByRole('button', { name: 'More actions on e2e-rows' }).click();
  const menu = page.getByRole('menu', { name: 'More actions on e2e-rows' });
  await expectInsideWindow(page, menu);
  await expect(menu.getByRole('menuitem', { name: /^Unpause/ })).toHaveAttribute('aria-disabled', 'true');
  await expect(menu.getByRole('menuitem', { name: /^Unpause/ })).toContainText('is not paused');
  await app.screenshot('container-row-menu-1280x720');
  await menu.getByRole('menuitem', { name: /^Pause/ }).click();
  await expect(row.locator('.state')).toContainText('paused');

  await containers.fromRowMenu('e2e-rows', 'Unpause');
  await expect(row.locator('.state')).toContainText('running');
  await containers.fromRowMenu('e2e-rows', 'Kill');
  await expect(row.locator('.state')).toContainText('exited');
  await expect(row).toContainText('Exited (137)');
  await containers.fromRowMenu('e2e-rows', 'Remove');
  await containers.expectGone('e2e-rows');
});

test('an image row fits the window with Run beside a menu of the rest', async ({ app, page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // A registry's name, as a pull leaves it: long names are cut, not pushed off the edge with the row's actions.
  const long = '127.0.0.1:5000/a-team-with-a-long-name/and-an-image-named-at-length:a-long-tag-1.2.3';
  const tagged = await strata(['tag', 'starter', long]);
  expect(tagged.code, tagged.stderr).toBe(0);
  try {
    const images = await app.images();
    await expectInsideWindow(page, images.row(long).getByRole('group', { name: `Actions on ${long}` }));
  } finally {
    await strata(['rmi', long]);
  }
  const images = await app.images();
  const row = images.row('starter').first();
  await expectInsideWindow(page, row.getByRole('group', { name: 'Actions on starter:latest' }));
  const menu = await images.rowMenu('starter:latest');
  await expectInsideWindow(page, menu);
  await expect(menu.getByRole('menuitem')).toHaveText(['Create…', 'Tag…', 'History', 'Save', 'Push', 'Remove']);
  await app.screenshot('image-row-menu-1280x720');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
});

test('removing an image a container uses names the container and offers -f only where Docker allows it', async ({ app, page }) => {
  let containers = await app.containers();
  const maker = await containers.create({ name: 'e2e-maker', command: 'touch /made.txt', interactive: false });
  await maker.press('Start');
  await maker.expectState('exited');
  await maker.commit('e2e-inuse:v1');
  containers = await app.containers();
  const user = await containers.create({ name: 'e2e-user', image: 'e2e-inuse:v1', command: 'sleep 600', interactive: false });
  await user.press('Start');
  await user.expectState('running');

  // Named by its tag: the refusal names the container; -f removes the tag, and the image stays while it runs.
  let images = await app.images();
  await (await images.rowMenu('e2e-inuse:v1')).getByRole('menuitem', { name: 'Remove' }).click();
  const refusal = page.getByRole('dialog', { name: 'e2e-inuse:v1 is in use' });
  await expect(refusal.getByRole('list', { name: 'Containers using e2e-inuse:v1' })).toContainText('e2e-user');
  await expect(refusal.getByRole('list', { name: 'Containers using e2e-inuse:v1' })).toContainText('running');
  await expect(refusal).toContainText('the tag e2e-inuse:v1 goes');
  await app.screenshotsAtSizes('rmi-refused-by-tag');
  await refusal.getByRole('button', { name: 'Remove anyway (-f)' }).click();
  await app.expectLastCommandDone(/strata rmi -f e2e-inuse:v1/);
  await expect(app.commandStrip).toContainText('Untagged: e2e-inuse:v1');
  await expect(images.row('e2e-inuse')).toHaveCount(0);

  // Now untagged, named by its id: a running container's image cannot be removed, not even with -f.
  const untagged = images.rows.filter({ hasText: '<none>' });
  await expect(untagged).toHaveCount(1);
  const id = (await untagged.locator('code').first().textContent())!.trim();
  await (await images.rowMenu(id)).getByRole('menuitem', { name: 'Remove' }).click();
  const byId = page.getByRole('dialog', { name: `${id} is in use` });
  await expect(byId).toContainText('not even with -f: stop and remove e2e-user first');
  await expect(byId.getByRole('button', { name: 'Remove anyway (-f)' })).toHaveAttribute('aria-disabled', 'true');
  await app.screenshotsAtSizes('rmi-refused-running');
  await byId.getByRole('link', { name: 'e2e-user' }).click();
  await user.waitUntilShown();
  await user.press('Kill');
  await user.expectState('exited');
  await user.press('Remove');
  images = await app.images();
  await (await images.rowMenu(id)).getByRole('menuitem', { name: 'Remove' }).click();
  await app.expectLastCommandDone(new RegExp(`strata rmi ${id}`));
  await expect(images.rows.filter({ hasText: '<none>' })).toHaveCount(0);
});
