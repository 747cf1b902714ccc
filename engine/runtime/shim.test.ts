// Waiting on a monitor's run dir: what the wait's own check throws (the
// engine closed while a `docker wait` was pending) ends that wait with the
// error; it must not escape from the watcher as an uncaught exception.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { waitForExitFile } from './shim';

let runDir: string;

beforeEach(() => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-shim-wait-'));
});

afterEach(() => {
  fs.rmSync(runDir, { recursive: true, force: true });
});

it('ends a wait with the error its record check throws when the monitor writes next', async () => {
  let asked = 0;
  const wait = waitForExitFile(runDir, 60_000, undefined, () => {
    if (asked++ > 0) throw new Error('The database connection is not open');
    return false;
  });
  fs.appendFileSync(path.join(runDir, 'kernel.jsonl'), '{"step":"exit"}\n');
  await expect(wait).rejects.toThrow('The database connection is not open');
});

it('resolves with the exit the monitor writes', async () => {
  const wait = waitForExitFile(runDir, 60_000);
  fs.writeFileSync(path.join(runDir, 'exit.json'), JSON.stringify({ exitCode: 3, finishedAt: new Date().toISOString() }));
  expect((await wait)?.exitCode).toBe(3);
});
