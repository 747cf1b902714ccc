// Opening the app's address without its token (or with an old one) shows a
// page that says how to get a valid link, not the browser's bare 403.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { startHost, stopHost } from './support/host';

test('the app’s address without a valid token shows how to get a working link', async ({ page }, testInfo) => {
  // A browser host of its own: the page is the browser host's, whichever shell the other specs run in.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-notoken-'));
  const host = await startHost(root);
  try {
    await checkPage(page, testInfo, new URL(host.url));
  } finally {
    await stopHost(host.child);
    fs.rmSync(root, { recursive: true, force: true });
  }
});

async function checkPage(page: Page, testInfo: TestInfo, url: URL): Promise<void> {
  for (const address of [`${url.origin}/`, `${url.origin}/?token=not-the-token`, `${url.origin}/index.html`]) {
    const response = await page.goto(address);
    expect(response?.status(), address).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link needs its access token');
    await expect(page.getByRole('main')).toContainText('strata gui --browser');
    // Nothing of the app loaded, and no token is on the page.
    expect(await page.content()).not.toContain(url.searchParams.get('token') ?? 'no token in the URL');
  }
  await expectAccessible(page, testInfo, 'no-token');
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: testInfo.outputPath(`no-token-${width}x${height}.png`) });
  }
}
