// Eight CLIs at once beside the app: eight `strata` processes run, stop,
// kill, restart, commit and remove containers on one root while the app's
// engine (long-lived, in this process, as the browser host runs it) lists
// and inspects them and listens to the events. Every command succeeds, the
// app hears each container's life once and in order, and afterwards the
// store checks clean with nothing left running.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { EngineEvent } from '../api';
import { useTempEngine } from '../testing/useTempEngine';

const temp = useTempEngine();
const cli = path.resolve(__dirname, '..', '..', 'bin', 'strata');
const workers = 8;
const rounds = 3;

function strata(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, STRATA_ROOT: temp.engine.root };
    delete env.STRATA_RUNROOT;
    const child = spawn(cli, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One CLI user's session: every command must succeed, with the output it should have. */
async function session(w: number, failures: string[]): Promise<void> {
  const must = async (args: string[], stdout?: string) => {
    const r = await strata(args);
    if (r.code !== 0 || (stdout !== undefined && r.stdout !== stdout)) failures.push(`worker ${w}: strata ${args.join(' ')} → ${r.code}: ${r.stdout}${r.stderr}`);
    return r.stdout.trim();
  };
  for (let k = 0; k < rounds; k++) {
    const name = (what: string) => `w${w}-${k}-${what}`;
    await must(['run', '--rm', '--name', name('rm'), 'starter', 'echo', `hello ${w} ${k}`], `hello ${w} ${k}\n`);
    await must(['run', '-d', '--name', name('stop'), '--health-cmd', 'true', '--health-interval', '100ms', 'starter', 'sleep', '1000']);
    await must(['run', '-d', '--name', name('restart'), '--restart', 'on-failure:2', 'starter', 'sh', '-c', 'exit 3']);
    await must(['run', '--name', name('commit'), 'starter', 'sh', '-c', `echo ${w}${k} > /mark`]);
    await must(['commit', name('commit'), `w${w}:${k}`]);
    await must(['stop', '-t', '0', name('stop')]);
    await must(['wait', name('restart')]);
    await must(['rm', '-f', name('stop'), name('restart'), name('commit')]);
    await must(['rmi', `w${w}:${k}`]);
  }
}

it('eight CLIs and the app on one root lose nothing, and leave a store that checks clean', async () => {
  const events: Extract<EngineEvent, { type: 'container' }>[] = [];
  const stream = temp.engine.client.open('events', {}, { onMessage: (e) => e.type === 'container' && events.push(e), onEnd: () => undefined });
  // The app meanwhile: its list and a look at each container, as the containers view does.
  let looking = true;
  const appErrors: string[] = [];
  const app = (async () => {
    while (looking) {
      for (const c of await temp.call('container.list', { all: true })) {
        await temp.call('container.inspect', { id: c.id }).catch((e: { code?: string; message: string }) => {
          if (e.code !== 'NotFound') appErrors.push(e.message);
        });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const failures: string[] = [];
  await Promise.all(Array.from({ length: workers }, (_, w) => session(w, failures)));
  looking = false;
  await app;
  expect(failures).toEqual([]);
  expect(appErrors).toEqual([]);

  await new Promise((r) => setTimeout(r, 1000)); // the last events reach the app
  stream.close();
  // Each container's life, once and in order, as the app heard it.
  const lives = new Map<string, string[]>();
  for (const e of events) lives.set(e.attributes.name!, [...(lives.get(e.attributes.name!) ?? []), e.action]);
  const detail = (name: string) => events.filter((e) => e.attributes.name === name && !e.action.startsWith('health')).map((e) => `${e.action}${e.attributes.exitCode ? `(${e.attributes.exitCode})` : ''}${e.attributes.signal ? `[${e.attributes.signal}]` : ''}@${String(e.time).slice(-12, -6)}`).join(' ');
  const expected = new Map<string, string[]>();
  const actual = new Map<string, string[]>();
  for (let w = 0; w < workers; w++) {
    for (let k = 0; k < rounds; k++) {
      const life = (what: string) => (lives.get(`w${w}-${k}-${what}`) ?? []).filter((a) => !a.startsWith('health_status') && a !== 'attach');
      const lived = (what: string, events: string[]) => {
        expected.set(`w${w}-${k}-${what}`, events);
        actual.set(`w${w}-${k}-${what}`, life(what));
      };
      lived('rm', ['create', 'start', 'die', 'destroy']);
      // stop -t 0 of a sleep (PID 1 ignores SIGTERM): SIGTERM, SIGKILL at once, as dockerd tells it.
      lived('stop', ['create', 'start', 'kill', 'kill', 'die', 'stop', 'destroy']);
      lived('restart', ['create', 'start', 'die', 'start', 'die', 'start', 'die', 'destroy']);
      lived('commit', ['create', 'start', 'die', 'commit', 'destroy']);
    }
  }
  const wrong = [...expected.keys()].filter((k) => JSON.stringify(actual.get(k)) !== JSON.stringify(expected.get(k)));
  expect(wrong.map((k) => `${k}: ${detail(k)}`)).toEqual([]);
  expect(await temp.call('container.list', { all: true })).toEqual([]);
  expect((await temp.call('system.check', {})).findings).toEqual([]);
}, 600_000);
