// The browser host as a child process (`strata gui --browser --no-open --port 0`)
// on an engine root, its URL read from the line it prints; and its stop.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { repo, strataBin } from './paths';

// `--tour` puts `?tour` before the fragment.
const urlLine = /^Strata: (http:\/\/127\.0\.0\.1:\d+\/(?:\?tour)?#token=[A-Za-z0-9_-]+)$/m;

export function startHost(root: string, env: NodeJS.ProcessEnv = {}, flags: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [strataBin, 'gui', '--browser', '--no-open', '--port', '0', ...flags], {
    cwd: repo,
    env: { ...process.env, STRATA_ROOT: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error('the browser host printed no URL within 20 s')), 20_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\nstdout: ${out}\nstderr: ${err}`));
    };
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = urlLine.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => fail(new Error(`the browser host exited (${code})`)));
  });
}

export function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}


/**
 * Opens the host's printed address in a page of its own, as a person does
 * after closing the tab: a new document (a fragment change alone would not
 * load one), which finds the token in the address again.
 */
export function openAddress(url: string): (page: Page) => Promise<void> {
  return async (page) => {
    await page.goto('about:blank');
    await page.goto(url);
  };
}
