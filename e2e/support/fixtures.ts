// The `test` every spec uses: its `app` fixture is the Strata window, either
// the browser host's page in Chromium (the default) or the desktop app under
// Electron (e2e/electron/run.mjs sets STRATA_E2E_SHELL=electron). Specs talk
// to the app only through page objects (e2e/pages), never through the engine.

import { test as base, _electron, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { desktopEnv, lookupUser } from '../../engine/host/desktop';
import { StrataApp, type SaveCatcher } from '../pages/StrataApp';
import { openAddress } from './host';
import { repo } from './paths';

export { expect } from '@playwright/test';

export const shell: 'browser' | 'electron' = process.env.STRATA_E2E_SHELL === 'electron' ? 'electron' : 'browser';

function engineRoot(): string {
  const root = process.env.STRATA_ROOT;
  if (!root) throw new Error('STRATA_ROOT is not set: run the specs through e2e/playwright.config.ts');
  return root;
}

/** In the browser a save is a download: wait for it and keep the file. */
function downloadCatcher(page: Page, testInfo: TestInfo): (app: StrataApp) => SaveCatcher {
  return () => async (action) => {
    const [download] = await Promise.all([page.waitForEvent('download'), action()]);
    const failure = await download.failure();
    if (failure) throw new Error(`download failed: ${failure}`);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    return file;
  };
}

/** In Electron a save asks the native dialog for a file: answer it with one under the test's output. */
function dialogCatcher(electron: ElectronApplication, testInfo: TestInfo): (app: StrataApp) => SaveCatcher {
  return (app) => async (action) => {
    const file = testInfo.outputPath('saved.tar');
    // Electron writes it as the desktop user.
    const { uid } = JSON.parse(process.env.STRATA_E2E_LINK!) as { uid: number };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.chownSync(path.dirname(file), uid, -1);
    await electron.evaluate(({ dialog }, chosen) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: chosen })) as typeof dialog.showSaveDialog;
    }, file);
    await action();
    // The save's command (strata save / strata export) ends once the file is written.
    await app.expectLastCommandDone(/strata (save|export)/, 120_000);
    return file;
  };
}

/** The page's uncaught errors and console errors (a CSP refusal shows here), kept for a failing test's report. */
function recordPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

/**
 * Attaches what the page reported; an uncaught error or a Content-Security-Policy
 * refusal fails the test, since the app must work under the strict policy.
 */
async function attachProblems(problems: string[], testInfo: TestInfo): Promise<void> {
  if (problems.length === 0) return;
  await testInfo.attach('page-errors.txt', { body: problems.join('\n'), contentType: 'text/plain' });
  const fatal = problems.filter((p) => p.startsWith('uncaught:') || /Content Security Policy|Refused to/.test(p));
  if (fatal.length > 0 && testInfo.status === testInfo.expectedStatus) throw new Error(`the page reported:\n${fatal.join('\n')}`);
}

const browserTest = base.extend<{ app: StrataApp }>({
  app: async ({ page }, use, testInfo) => {
    const url = process.env.STRATA_E2E_URL;
    if (!url) throw new Error('STRATA_E2E_URL is not set: the global setup starts the browser host');
    engineRoot();
    const app = new StrataApp(page, testInfo, downloadCatcher(page, testInfo), openAddress(url));
    const problems = recordPageProblems(page);
    try {
      await page.goto(url);
      await app.waitUntilLive();
      await use(app);
    } finally {
      await attachProblems(problems, testInfo);
    }
  },
});

/** Electron as the desktop user, with its sandbox, linked to the engine the global setup runs (as `strata gui` does). */
function electronLaunch(binary: string): Parameters<typeof _electron.launch>[0] {
  const link = JSON.parse(process.env.STRATA_E2E_LINK ?? 'null') as { socket: string; token: string; uid: number } | null;
  if (!link) throw new Error('STRATA_E2E_LINK is not set: the global setup starts the engine for Electron');
  const user = lookupUser(link.uid);
  if (!user) throw new Error(`e2e: no user ${link.uid}`);
  return {
    // Playwright adds its own switches to the command: a wrapper puts setpriv in front of them all.
    executablePath: path.join(repo, 'e2e', 'electron', 'as-user'),
    args: [repo],
    env: {
      ...desktopEnv(process.env, user, link),
      STRATA_ELECTRON_BINARY: binary,
      STRATA_E2E_UID: String(user.uid),
      STRATA_E2E_GID: String(user.gid),
    } as Record<string, string>,
  };
}

const electronTest = base.extend<{ app: StrataApp }>({
  app: async ({}, use, testInfo) => {
    const binary = process.env.STRATA_ELECTRON_BINARY;
    if (!binary) throw new Error('STRATA_ELECTRON_BINARY is not set: run through e2e/electron/run.mjs');
    engineRoot();
    const electron = await _electron.launch(electronLaunch(binary));
    try {
      const page = await electron.firstWindow();
      const app = new StrataApp(page, testInfo, dialogCatcher(electron, testInfo), (p) => p.reload());
      const problems = recordPageProblems(page);
      try {
        await app.waitUntilLive();
        await use(app);
      } finally {
        await attachProblems(problems, testInfo);
      }
    } finally {
      await electron.close();
    }
  },
});

export const test = shell === 'electron' ? electronTest : browserTest;
