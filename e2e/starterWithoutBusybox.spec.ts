// A fresh machine without busybox: before making the starter image the app
// says, in one line, what the image will lack and the one command that
// fixes it; the image it then makes still runs. Its own host and engine
// root, with a PATH that hides busybox, beside the shared one.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { pathWithoutBusybox } from '../engine/testing/noBusybox';
import { StrataApp } from './pages/StrataApp';
import { removeEngineRoot } from './support/engineRoot';
import { openAddress, startHost, stopHost } from './support/host';

test('without busybox the starter offer says what the image lacks and how to get the full one', async ({ page }, testInfo) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-nobusybox-'));
  const noBusybox = pathWithoutBusybox();
  const host = await startHost(root, { PATH: noBusybox });
  try {
    await page.goto(host.url);
    const app = new StrataApp(page, testInfo, () => async () => '', openAddress(host.url));
    await app.waitUntilLive();
    const images = await app.images();
    await images.expectEmpty();
    await images.expectStarterWarning(/^busybox is not installed, so the starter image holds only \d+ of this machine's own programs .* sudo apt-get install busybox-static && strata bootstrap$/);
    await app.screenshot('starter-offer-without-busybox');
    await images.bootstrapStarter();
    await images.expectImage('starter');
    await app.screenshot('starter-without-busybox');
  } finally {
    await stopHost(host.child);
    await removeEngineRoot(root);
    fs.rmSync(noBusybox, { recursive: true, force: true });
  }
});
