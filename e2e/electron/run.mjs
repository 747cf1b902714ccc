#!/usr/bin/env node
// `npm run test:electron`: the e2e specs again, in the desktop app. Each
// test launches Electron on the compiled main process (dist/electron/main.js)
// with Playwright's `_electron` instead of opening the browser host's page
// (e2e/support/fixtures.ts picks the shell from STRATA_E2E_SHELL). Machines
// that cannot download Electron's binary have nothing to run here: this says
// so and succeeds, and the same specs cover the renderer in Chromium.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function electronBinary() {
  try {
    const file = require('electron');
    return typeof file === 'string' && fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) {
  console.log("test:electron: Electron's binary is not installed on this machine (its download is disabled), so there is nothing to run.");
  console.log('test:electron: the same specs run against the renderer in Chromium with `npm run test:e2e`.');
  process.exit(0);
}
if (!fs.existsSync(path.join(repo, 'dist', 'electron', 'main.js'))) {
  console.error('test:electron: dist/electron/main.js is missing: run `npm run build` first');
  process.exit(1);
}

const cli = require.resolve('@playwright/test/cli');
const result = spawnSync(process.execPath, [cli, 'test', '-c', path.join(repo, 'e2e', 'playwright.config.ts'), ...process.argv.slice(2)], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, STRATA_E2E_SHELL: 'electron', STRATA_ELECTRON_BINARY: binary },
});
process.exit(result.status ?? 1);
