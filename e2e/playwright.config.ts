// End-to-end tests: Debian's Chromium (never a downloaded browser) drives the
// renderer served by the browser host, on a fresh engine root that the
// global setup makes and removes (e2e/globalSetup.ts). The same specs run
// under Electron through e2e/electron/run.mjs (STRATA_E2E_SHELL=electron).
//
// One worker: the specs share one engine and the machine has 2 cores; the
// "starter" project runs first because it is the one that finds the store
// empty and makes the starter image the others use.

import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  globalSetup: './globalSetup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    // Kept for every test, passed or failed; each spec also takes its own at the end.
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'starter', testMatch: /starter\.spec\.ts$/ },
    // The security spec is the browser host's: Electron has no port for another site's page to reach.
    {
      name: 'app',
      testMatch: /\.spec\.ts$/,
      testIgnore: process.env.STRATA_E2E_SHELL === 'electron' ? [/starter\.spec\.ts$/, /security\.spec\.ts$/] : /starter\.spec\.ts$/,
      dependencies: ['starter'],
    },
  ],
});
