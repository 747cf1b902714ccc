// Every main view of the app passes axe-core's WCAG 2.1 AA rules with no
// serious or critical violation (text contrast 4.5:1 among them), and is
// kept as screenshots at 1280 × 720 and 1920 × 1080 for a person to look at.

import { expect, test } from './support/fixtures';
import { expectAccessible } from './support/axe';
import type { StrataApp } from './pages/StrataApp';

async function check(app: StrataApp, testInfo: import('@playwright/test').TestInfo, view: string): Promise<void> {
  await expectAccessible(app.page, testInfo, view);
  await app.screenshotsAtSizes(view);
}

test('the containers list, a running container and each of its tabs', async ({ app }, testInfo) => {
  // A dozen views, each checked by axe and drawn at two sizes: far more than one spec's usual minute on a busy machine.
  test.setTimeout(180_000);
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-a11y', command: 'sh -c "echo hello > /hello.txt; exec sleep 600"', interactive: false });
  await c.press('Start');
  await c.expectState('running');
  await check(app, testInfo, 'container-files');
  await c.openFile('/hello.txt');
  await check(app, testInfo, 'container-file-details');
  for (const [tab, view] of [
    ['Logs', 'container-logs'],
    ['Resources', 'container-resources'],
    ['Inspect', 'container-inspect'],
    ['Runtime spec', 'container-spec'],
    ['On disk', 'container-disk'],
  ] as const) {
    await c.openTab(tab);
    await check(app, testInfo, view);
  }
  await c.openTab('Terminal');
  await expect(app.page.getByRole('textbox', { name: 'Terminal input' })).toBeAttached({ timeout: 15_000 });
  await check(app, testInfo, 'container-terminal');
  await c.press('Kill');
  await c.expectState('exited');
  await check(app, testInfo, 'container-killed');
  const list = await app.containers();
  await list.expectListed('e2e-a11y');
  await check(app, testInfo, 'containers');
  const run = await list.openDialog('run');
  for (const s of ['Terminal and lifetime', 'Environment', 'Storage', 'Network', 'Entrypoint and stopping', 'Resources', 'Labels']) await run.section(s);
  await check(app, testInfo, 'run-dialog');
});

test('the images list, an image and each of its tabs, and the build view', async ({ app }, testInfo) => {
  test.setTimeout(180_000);
  const images = await app.images();
  await check(app, testInfo, 'images');
  await images.toggle('All').click();
  await check(app, testInfo, 'images-all');
  const image = await images.open('starter');
  await image.expectLayerCount(1);
  for (const [tab, view] of [
    ['Layer files', 'image-layer-files'],
    ['Merged view', 'image-merged'],
    ['Size map', 'image-size-map'],
    ['History', 'image-history'],
    ['Inspect', 'image-inspect'],
  ] as const) {
    await app.page.getByRole('tab', { name: tab }).click();
    await check(app, testInfo, view);
  }
  for (const dialog of ['Load…', 'Import…', 'Prune…'] as const) {
    await app.images();
    await app.page.getByRole('button', { name: dialog, exact: true }).click();
    await expect(app.page.getByRole('dialog')).toBeVisible();
    await check(app, testInfo, `images-${dialog.slice(0, -1).toLowerCase()}-dialog`);
    await app.page.keyboard.press('Escape');
  }
  await app.build();
  await check(app, testInfo, 'build');
});
