// A container's security options on the real kernel, each checked the way a
// user would check it inside the container, and in inspect as Docker shows
// it: capabilities, no-new-privileges, a read-only root, more groups,
// ulimits, /dev/shm's size, and --init (Debian's tini, or the launcher's
// own init when the host has none).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateOptions } from '../api';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';
import { createCgroups, saveCgroups } from './cgroups';
import { readExitFile, shimStart } from './shim';

let t: TempEngine;

beforeAll(async () => {
  t = await tempEngine();
  // A group the image knows by name.
  const made = await t.run(['sh', '-c', 'echo "staff:x:50:" >> /etc/group'], { networkMode: 'none' });
  await t.client.call('container.commit', { id: made.id, reference: 'groups:1' });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

async function sh(script: string, opts: Omit<CreateOptions, 'image' | 'cmd'> = {}, image = t.image) {
  const { id } = await t.client.call('container.create', { networkMode: 'none', image, cmd: ['sh', '-c', script], ...opts });
  return { id, ...(await collect(t.client, id)) };
}

const status = async (field: string, opts: Omit<CreateOptions, 'image' | 'cmd'>) =>
  (await sh(`grep ^${field}: /proc/self/status`, opts)).stdout.split(/\s+/)[1];

describe('capabilities', () => {
  it.each([
    [{}, '00000000a80425fb'],
    [{ capAdd: ['net_admin'], capDrop: ['CAP_CHOWN'] }, '00000000a80435fa'],
    [{ capDrop: ['ALL'] }, '0000000000000000'],
    [{ capDrop: ['all'], capAdd: ['chown'] }, '0000000000000001'],
    [{ capAdd: ['SYS_ADMIN'] }, '00000000a82425fb'],
  ])('%j gives CapEff %s, as Docker', async (opts, capEff) => {
    expect(await status('CapEff', opts)).toBe(capEff);
  });

  it('--cap-add ALL gives every capability the engine holds', async () => {
    const own = /^CapBnd:\s*(\S+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1];
    expect(await status('CapEff', { capAdd: ['ALL'] })).toBe(own);
  });

  it("shows in inspect under Docker's names, and refuses unknown ones", async () => {
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, capAdd: ['net_admin'], capDrop: ['chown'] });
    const host = (await t.client.call('container.inspect', { id })).HostConfig;
    expect([host.CapAdd, host.CapDrop]).toEqual([['CAP_NET_ADMIN'], ['CAP_CHOWN']]);
    await expect(t.client.call('container.create', { networkMode: 'none', image: t.image, capAdd: ['foo'] })).rejects.toThrow('invalid CapAdd: unknown capability: "CAP_FOO"');
  });
});

describe('--security-opt no-new-privileges', () => {
  it('sets NoNewPrivs, for exec too; an unknown option is refused as dockerd refuses it', async () => {
    expect(await status('NoNewPrivs', { securityOpt: ['no-new-privileges'] })).toBe('1');
    expect(await status('NoNewPrivs', { securityOpt: ['no-new-privileges=false'] })).toBe('0');
    await expect(t.client.call('container.create', { networkMode: 'none', image: t.image, securityOpt: ['no-new-privileges=maybe'] })).rejects.toThrow(
      'invalid --security-opt 2: "no-new-privileges=maybe"',
    );
    await expect(t.client.call('container.create', { networkMode: 'none', image: t.image, securityOpt: ['foo'] })).rejects.toThrow('invalid --security-opt 1: "foo"');
  });
});

describe('--read-only', () => {
  it('makes the root read-only and leaves /dev/shm writable', async () => {
    const r = await sh('touch /x 2>&1; touch /dev/shm/x && echo shm ok', { readOnly: true });
    expect(r.stdout).toBe('touch: /x: Read-only file system\nshm ok\n');
    expect((await t.client.call('container.inspect', { id: r.id })).HostConfig.ReadonlyRootfs).toBe(true);
  });
});

describe('--group-add', () => {
  it('adds groups by name or number to the primary one, as runc resolves them', async () => {
    const r = await sh('grep ^Groups: /proc/self/status; id', { groupAdd: ['staff', '1234'] }, 'groups:1');
    expect(r.stdout).toBe('Groups:\t0 50 1234 \nuid=0(root) gid=0(root) groups=0(root),50(staff),1234\n');
    const nobody = await sh('grep ^Groups: /proc/self/status', { user: 'nobody', groupAdd: ['staff'] }, 'groups:1');
    expect(nobody.stdout).toBe('Groups:\t50 65534 \n');
  });

  it('fails the start for a group the image does not have, with runc’s words', async () => {
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['true'], groupAdd: ['nosuch'] });
    await expect(t.client.call('container.start', { id })).rejects.toThrow('Unable to find group nosuch: no matching entries in group file');
  });
});

describe('--ulimit', () => {
  it('sets soft and hard limits, for exec too', async () => {
    const r = await sh('ulimit -n; ulimit -Hn; ulimit -u', {
      ulimits: [
        { name: 'nofile', soft: 1024, hard: 2048 },
        { name: 'nproc', soft: 100, hard: 100 },
      ],
    });
    expect(r.stdout).toBe('1024\n2048\n100\n');
    expect((await t.client.call('container.inspect', { id: r.id })).HostConfig.Ulimits).toEqual([
      { Name: 'nofile', Soft: 1024, Hard: 2048 },
      { Name: 'nproc', Soft: 100, Hard: 100 },
    ]);
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['sleep', '60'], ulimits: [{ name: 'nofile', soft: 777, hard: 888 }] });
    await t.client.call('container.start', { id });
    expect(await t.exec(id, ['sh', '-c', 'ulimit -n; ulimit -Hn'])).toBe('777\n888\n');
    await t.client.call('container.remove', { id, force: true });
  });

  it('keeps -1 as unlimited, and refuses what go-units refuses', async () => {
    expect((await sh('ulimit -c', { ulimits: [{ name: 'core', soft: -1, hard: -1 }] })).stdout).toBe('unlimited\n');
    await expect(t.client.call('container.create', { networkMode: 'none', image: t.image, ulimits: [{ name: 'nofile', soft: 10, hard: 5 }] })).rejects.toThrow(
      'ulimit soft limit must be less than or equal to hard limit: 10 > 5',
    );
    await expect(t.client.call('container.create', { networkMode: 'none', image: t.image, ulimits: [{ name: 'foo', soft: 1, hard: 1 }] })).rejects.toThrow('invalid ulimit type: foo');
  });
});

describe('--shm-size', () => {
  it('sizes /dev/shm (64 MiB unless said), as inspect shows', async () => {
    const df = async (opts: Omit<CreateOptions, 'image' | 'cmd'>) => (await sh('df -k /dev/shm | tail -1', opts)).stdout.split(/\s+/)[1];
    expect(await df({})).toBe('65536');
    const r = await sh('true', { shmSize: 128 * 1024 * 1024 });
    expect((await t.client.call('container.inspect', { id: r.id })).HostConfig.ShmSize).toBe(134217728);
    expect(await df({ shmSize: 128 * 1024 * 1024 })).toBe('131072');
  });
});

describe('--init', () => {
  it("runs the host's static tini as /sbin/docker-init, which passes stop's SIGTERM on (143, not a SIGKILL after the grace)", async () => {
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['sleep', '600'], init: true });
    await t.client.call('container.start', { id });
    expect(await t.exec(id, ['sh', '-c', 'tr "\\0" " " < /proc/1/cmdline; echo; grep docker-init /proc/mounts | cut -d" " -f2,4 | cut -d, -f1'])).toBe(
      '/sbin/docker-init -- sleep 600 \n/sbin/docker-init ro\n',
    );
    await t.client.call('container.stop', { id, timeout: 20 });
    const state = (await t.client.call('container.inspect', { id })).State;
    expect(state.ExitCode).toBe(143);
    expect((await t.client.call('container.changes', { id })).map((c) => c.path)).not.toContain('/sbin/docker-init');
  });

  // An orphan's parent dies; PID 1 is then `sleep`, which never waits for children.
  const orphaning = 'sh -c "sleep 0.1 &"; exec sleep 600';

  /** The states (R, S, Z...) of the children of the container's PID 1, once the orphan has had time to end. */
  async function statesAfterOrphan(pid1: number): Promise<string[]> {
    await new Promise((r) => setTimeout(r, 600));
    const children = fs.readFileSync(`/proc/${pid1}/task/${pid1}/children`, 'utf8').split(' ').filter(Boolean);
    return children.map((p) => fs.readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '')[0]);
  }

  it('without it, an orphan stays a zombie under a PID 1 that never reaps', async () => {
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['sh', '-c', orphaning] });
    await t.client.call('container.start', { id });
    expect(await statesAfterOrphan((await t.client.call('container.inspect', { id })).State.Pid)).toContain('Z');
    await t.client.call('container.remove', { id, force: true });
  });

  it('without one on the host, the launcher’s own init reaps orphans and passes signals on', async () => {
    // A plain container's spec, started straight through the launcher with the builtin init asked for.
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['sh', '-c', orphaning] });
    const bundle = path.join(t.root, 'containers', id);
    const spec = JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    spec.annotations['org.strata.init'] = 'builtin';
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
    const runDir = path.join(t.root, 'run', id);
    fs.mkdirSync(runDir, { recursive: true });
    const cgroups = createCgroups(id);
    saveCgroups(path.join(bundle, 'cgroups.json'), cgroups);
    try {
      const { ready } = await shimStart({ bundle, runDir, cgroups: cgroups.dirs, logFile: path.join(bundle, 'log.json'), attach: false });
      expect(await statesAfterOrphan(ready.pid)).toEqual(['S']); // the sleep, and no zombie beside it
      expect(fs.readFileSync(`/proc/${ready.pid}/comm`, 'utf8')).toBe('strata-shim\n');
      // PID 1 from outside: a sleep there would ignore SIGTERM; the init hands it to the sleep, its child.
      process.kill(ready.pid, 'SIGTERM');
      for (let i = 0; i < 200 && !readExitFile(runDir); i++) await new Promise((r) => setTimeout(r, 25));
      expect(readExitFile(runDir)?.exitCode).toBe(143);
    } finally {
      await t.client.call('container.remove', { id, force: true });
    }
  });
});
