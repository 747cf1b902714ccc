// A learner's first hour, from an empty store (its own engine root and
// host): the Run dialog leads to an image instead of an empty list, the
// classic experiment finds happiness.txt in the writable layer and in no
// image layer (the app says so, and `find` on the host agrees), deleting one
// of busybox's hard links leaves a whiteout, and committing that wastes
// nothing: the numbers stay honest.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { StrataApp } from './pages/StrataApp';
import { ContainersPage } from './pages/ContainersPage';
import { ContainerPage } from './pages/ContainerPage';
import { expectAccessible } from './support/axe';
import { removeEngineRoot } from './support/engineRoot';
import { openAddress, startHost, stopHost } from './support/host';

test('from an empty store to a first container, a whiteout and a commit, without a dead end or a wrong number', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-first-'));
  const host = await startHost(root);
  try {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(host.url);
    const app = new StrataApp(page, testInfo, () => async () => '', openAddress(host.url));
    await app.waitUntilLive();
    const containers = new ContainersPage(app);
    await containers.waitUntilShown();

    // The empty list says how to get an image; so does the Run dialog, below its image field.
    await expect(page.getByTestId('get-image')).toBeVisible();
    // Its Pull card opens the Pull dialog itself (a pull from the app is pull.spec's).
    await page.getByTestId('get-image').getByRole('button', { name: 'Pull from a registry…' }).click();
    const pull = page.getByRole('dialog', { name: 'Pull an image' });
    await pull.getByRole('textbox', { name: /^Image\b/ }).fill('alpine:3.20');
    await expect(pull.locator('.dialog-command code')).toHaveText('$ strata pull alpine:3.20');
    await pull.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(pull).toHaveCount(0);
    const run = await containers.openDialog('run');
    await expect(run.dialog.getByRole('button', { name: 'Make the starter image' })).toBeVisible();
    await expect(run.dialog.getByRole('button', { name: 'Load an archive…' })).toBeVisible();
    await expect(run.dialog.getByRole('button', { name: 'Pull from a registry…' })).toBeVisible();
    await expect(run.command).toHaveText('$ strata run -d -it IMAGE');
    await expect(run.submitButton).toHaveAttribute('aria-disabled', 'true');
    await expect(run.dialog).toContainText('Get an image first');
    await expectAccessible(page, testInfo, 'run-dialog-empty-store');
    await app.screenshotsAtSizes('run-dialog-empty-store');

    await run.dialog.getByRole('button', { name: 'Make the starter image' }).click();
    await expect(run.image).toHaveValue('starter:latest', { timeout: 30_000 });
    await run.fill({ name: 'first', command: 'touch happiness.txt', interactive: false });
    await expect(run.command).toHaveText('$ strata run -d --name first starter:latest touch happiness.txt');
    await run.submit();
    const first = new ContainerPage(app, 'first');
    await first.waitUntilShown();
    await first.expectState('exited');

    // The classic experiment: the app says where the file is, and that no image layer has it.
    const details = await first.openFile('/happiness.txt');
    await expect(details.getByTestId('in-no-image-layer')).toContainText('in no image layer');
    const hostPath = (await details.locator('code.path').first().textContent())!.trim();
    expect(hostPath).toMatch(new RegExp(`^${root}/containers/[0-9a-f]{64}/upper/happiness.txt$`));
    await expect(details.getByTestId('in-no-image-layer')).toContainText(`find ${root} -name happiness.txt`);
    const found = execFileSync('find', [root, '-name', 'happiness.txt'], { encoding: 'utf8' }).trim().split('\n');
    expect(found).toEqual([hostPath]);
    await app.screenshotsAtSizes('happiness-in-no-image-layer');

    // A whiteout: deleting one of the starter's hard links to busybox.
    const second = await (await app.containers()).create({ name: 'no-ls', command: 'rm /bin/ls', interactive: false }, 'run');
    await second.expectState('exited');
    const whiteout = await second.openChange('/bin/ls');
    await expect(whiteout).toContainText('Deleted by writable layer');
    await expect(whiteout.locator('code.path').first()).toHaveText(/\/upper\/bin\/ls$/);

    // Committed: a layer titled by its message, and nothing wasted (busybox is still in use under its other names).
    const image = await second.commit('no-ls:v1', 'no more ls');
    await image.expectLayerCount(2);
    await expect(image.layer(1)).toContainText('no more ls');
    await expect(page.locator('.facts')).toContainText('100% efficient');
    await page.getByRole('tab', { name: 'Size map' }).click();
    await expect(page.getByTestId('wasted')).toContainText('0B');
    await expect(page.getByTestId('wasted')).toContainText('no layer’s bytes are hidden');
    await expect(page.locator('.figure').first()).toContainText('100%');
    await app.screenshotsAtSizes('committed-no-waste');

    // The sidebar counts what the list lists.
    const images = await app.images();
    await expect(images.rows).toHaveCount(2);
    await expect(app.sidebarCount('Images')).toHaveText('2');
    // The starter's date is its busybox file's (which keeps its id the same); when it arrived here is said too.
    await expect(images.row('starter')).toContainText(/added here (a few seconds|less than a second|about a minute|\d+ seconds?|\d+ minutes?) ago/i);
    await app.screenshotsAtSizes('images-after-first-hour');
  } finally {
    await stopHost(host.child);
    await removeEngineRoot(root);
  }
});
