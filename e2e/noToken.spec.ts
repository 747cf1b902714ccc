// Opening the app's address without its token (a reload, a new tab, a
// bookmark), or with another run's, shows the app's own screen saying how
// to get a working link: the page is public, the engine is not.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { removeEngineRoot } from './support/engineRoot';
import { openAddress, startHost, stopHost } from './support/host';

test('the app’s address without a valid token shows how to get a working link', async ({ page }, testInfo) => {
  // A browser host of its own: the page is the browser host's, whichever shell the other specs run in.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-notoken-'));
  const host = await startHost(root);
  try {
    const url = new URL(host.url);
    const token = url.hash.slice('#token='.length);
    expect(token.length).toBeGreaterThan(20);

    await openAddress(`${url.origin}/`)(page);
    await expectHowToGetALink(page, url, 'This link needs its access token', /This address carries no token/);
    await expectAccessible(page, testInfo, 'no-token');
    await screenshots(page, testInfo, 'no-token');

    // An earlier run's token (or one cut short): the host refuses it, and the page says so.
    await openAddress(`${url.origin}/#token=${token.slice(0, -4)}abcd`)(page);
    await expectHowToGetALink(page, url, 'This link’s access token does not work', /refused the token this address carried/);
    expect(await page.content()).not.toContain(token);
    await screenshots(page, testInfo, 'wrong-token');

    // The address printed works, and the page takes its token out of the address bar.
    await openAddress(host.url)(page);
    await expect(page.getByRole('status').filter({ hasText: /^Live/ })).toBeVisible({ timeout: 20_000 });
    expect(page.url()).not.toContain(token);
  } finally {
    await stopHost(host.child);
    await removeEngineRoot(root);
  }
});

async function expectHowToGetALink(page: Page, url: URL, title: string, why: RegExp): Promise<void> {
  // A refused token is known only once the websocket's first attempts have failed (a few seconds).
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title, { timeout: 20_000 });
  const main = page.getByRole('main');
  await expect(main).toContainText(why);
  await expect(main).toContainText(`Strata: ${url.origin}/#token=…`);
  await expect(main).toContainText('strata gui --browser');
  // Nothing of the app is drawn without its engine.
  await expect(page.getByRole('navigation')).toHaveCount(0);
}

async function screenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}x${height}.png`) });
  }
}
