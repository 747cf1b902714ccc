// Networks on the real kernel: netavark's bridges, veths and rules, the
// monitor holding published ports, aardvark-dns answering names. Traffic goes
// only to 127.0.0.1 and to the containers' own addresses on this test's
// networks (its own bridge and subnets: engine/testing/testNetwork.ts).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateOptions } from '../api';
import { networkLeftovers } from '../testing/leftovers';
import { claimTestNetwork, type TestNetwork } from '../testing/testNetwork';
import { tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
let testNet: TestNetwork;
const bridges: string[] = [];

beforeAll(async () => {
  testNet = claimTestNetwork();
  t = await tempEngine();
  bridges.push(testNet.bridge);
});

afterAll(async () => {
  const root = t.root;
  for (const n of await t.client.call('network.list', {})) if (n.bridge) bridges.push(n.bridge);
  await t.dispose();
  // Exact teardown: nothing of this test's networking is left on the host.
  expect(networkLeftovers(root, testNet.subnet, bridges)).toEqual([]);
});

async function runDetached(cmd: string[], opts: Partial<CreateOptions> = {}): Promise<string> {
  const { id } = await t.client.call('container.create', { image: t.image, cmd, ...opts });
  await t.client.call('container.start', { id });
  return id;
}

/** curl on the host, retried while the server in the container comes up. */
async function curl(url: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return execFileSync('curl', ['-s', '-f', '-m', '3', url], { encoding: 'utf8' });
    } catch (err) {
      if (i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** What CMD prints on its stdout in the running container. */
function execOutput(id: string, cmd: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    t.client.open('container.exec', { id, cmd }, {
      onMessage: (m) => ('data' in m && m.stream === 'stdout' ? (out += Buffer.from(m.data).toString()) : undefined),
      onEnd: (err) => (err ? reject(new Error(err.message)) : resolve(out)),
    });
  });
}

const ipOf = async (id: string, network: string) => (await t.client.call('container.inspect', { id })).NetworkSettings.Networks[network].IPAddress;

describe('the start', () => {
  it("makes the namespace first and wires it while the container is made; the command's first instruction finds it wired", async () => {
    const since = Date.now() * 1e6;
    const cmd = ['sh', '-c', 'ip -o link show lo | grep -q UP && ip -o -4 addr show eth0 | grep -q inet && ip route | grep -q default'];
    const { id } = await t.client.call('container.create', { image: t.image, cmd });
    await t.client.call('container.start', { id });
    expect((await t.client.call('container.wait', { id })).statusCode).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(t.root, 'containers', id, 'config.json'), 'utf8'));
    const netns = spec.linux.namespaces.find((n: { type: string }) => n.type === 'network');
    expect(netns.path).toMatch(new RegExp(`/${id}/network/netns$`));
    const steps: string[] = [];
    await new Promise<void>((resolve, reject) =>
      t.client.open('events', { since, until: (Date.now() + 1) * 1e6 }, {
        onMessage: (e) => (e.type === 'kernel' && e.id === id ? steps.push(e.step) : undefined),
        onEnd: (err) => (err ? reject(new Error(err.message)) : resolve()),
      }),
    );
    // Made before the container's first process, not bound from it afterwards.
    expect(steps).not.toContain('netns_bind');
    expect(steps.indexOf('netns_create')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('netns_create')).toBeLessThan(steps.indexOf('clone'));
    expect(steps.indexOf('netavark')).toBeLessThan(steps.indexOf('exec'));
    await t.client.call('container.remove', { id });
    expect(networkLeftovers(t.root, testNet.subnet, [testNet.bridge])).toEqual([]);
  });
});

describe('published ports', () => {
  it('a busybox httpd published on 127.0.0.1 answers curl from the host; the port is held, then given back', async () => {
    const port = await freePort();
    const id = await runDetached(['httpd', '-f', '-p', '80', '-h', '/etc'], { portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } });
    expect(await curl(`http://127.0.0.1:${port}/hostname`)).toBe(`${id.slice(0, 12)}\n`);
    // No one else on the host can take the port while the container has it.
    expect(await canListen(port)).toBe(false);
    const [summary] = (await t.client.call('container.list', {})).filter((c) => c.id === id);
    expect(summary.ports).toEqual([{ ip: '127.0.0.1', privatePort: 80, publicPort: port, type: 'tcp' }]);
    await t.client.call('container.remove', { id, force: true });
    expect(await canListen(port)).toBe(true);
  });

  it('a port in use is a clear error at start, and nothing is left behind', async () => {
    const port = await freePort();
    const holder = net.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    try {
      const { id } = await t.client.call('container.create', {
        image: t.image,
        cmd: ['true'],
        portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      });
      await expect(t.client.call('container.start', { id })).rejects.toThrow(`Bind for 127.0.0.1:${port} failed: port is already allocated`);
      const c = await t.client.call('container.inspect', { id });
      expect(c.State.Status).toBe('created');
      expect(c.NetworkSettings.Networks.bridge.IPAddress).toBe('');
      expect(networkLeftovers(t.root, testNet.subnet, [testNet.bridge])).toEqual([]);
      await t.client.call('container.remove', { id });
    } finally {
      holder.close();
    }
  });

  it('-P publishes the image\'s EXPOSEd ports on free host ports; `port` and ps list them', async () => {
    const { id: base } = await t.client.call('container.create', { image: t.image, cmd: ['true'] });
    const { imageId } = await t.client.call('container.commit', { id: base, reference: 'exposing:1', changes: ['EXPOSE 80/tcp 53/udp'] });
    await t.client.call('container.remove', { id: base });
    const id = await runDetached(['httpd', '-f', '-p', '80', '-h', '/etc'], { image: imageId, publishAll: true });
    const ports = (await t.client.call('container.inspect', { id })).NetworkSettings.Ports;
    expect(Object.keys(ports).sort()).toEqual(['53/udp', '80/tcp']);
    const tcp = Number(ports['80/tcp']![0].HostPort);
    expect(tcp).toBeGreaterThanOrEqual(32768);
    expect(ports['80/tcp']![0].HostIp).toBe('0.0.0.0');
    expect(await curl(`http://127.0.0.1:${tcp}/hostname`)).toBe(`${id.slice(0, 12)}\n`);
    await t.client.call('container.remove', { id, force: true });
    await t.client.call('image.remove', { ref: 'exposing:1' });
  });
});

describe('user-defined networks', () => {
  it('containers reach each other by name and alias on their network, and not across networks', async () => {
    await t.client.call('network.create', { name: 'front' });
    await t.client.call('network.create', { name: 'back' });
    const server = await runDetached(['httpd', '-f', '-p', '80', '-h', '/etc'], { name: 'web', networkMode: 'front', networkAliases: ['www'] });
    const serverIp = await ipOf(server, 'front');
    const probe = [
      'for n in web www; do timeout 2 wget -q -O - http://$n/hostname || echo "$n unreachable"; done',
      `timeout 2 wget -q -O - http://${serverIp}/hostname || echo "address unreachable"`,
    ].join('; ');
    const same = await t.run(['sh', '-c', probe], { networkMode: 'front', autoRemove: true });
    const short = server.slice(0, 12);
    expect(same.stdout).toBe(`${short}\n${short}\n${short}\n`);
    const other = await t.run(['sh', '-c', probe], { networkMode: 'back', autoRemove: true });
    expect(other.stdout).toBe('web unreachable\nwww unreachable\naddress unreachable\n');
    expect(other.stderr).toMatch(/bad address 'web'/);
    // aardvark-dns knows the server by its entry in the network's config (netavark knows networks by id); rm -f takes it out.
    const front = await t.client.call('network.inspect', { ref: 'front' });
    const dnsEntries = path.join(t.root, 'run', 'netavark', 'aardvark-dns', front.Id);
    expect(fs.readFileSync(dnsEntries, 'utf8')).toContain(server);
    const peer = await runDetached(['sleep', '600'], { networkMode: 'front' });
    await t.client.call('container.remove', { id: server, force: true });
    expect(fs.readFileSync(dnsEntries, 'utf8')).not.toContain(server);
    await t.client.call('container.remove', { id: peer, force: true });
    expect(fs.existsSync(dnsEntries)).toBe(false);
    for (const n of ['front', 'back']) await t.client.call('network.remove', { ref: n });
  });

  it('connect and disconnect a running container: a second interface comes and goes', async () => {
    await t.client.call('network.create', { name: 'extra' });
    const id = await runDetached(['sleep', '600']);
    await t.client.call('network.connect', { network: 'extra', container: id, aliases: ['second'] });
    const links = async () => (await execOutput(id, ['sh', '-c', 'ls /sys/class/net | tr "\\n" " "'])).trim();
    expect(await links()).toBe('eth0 eth1 lo');
    const inspected = await t.client.call('network.inspect', { ref: 'extra' });
    expect(Object.keys(inspected.Containers)).toEqual([id]);
    await expect(t.client.call('network.remove', { ref: 'extra' })).rejects.toThrow(/has active endpoints/);
    await t.client.call('network.disconnect', { network: 'extra', container: id });
    expect(await links()).toBe('eth0 lo');
    await t.client.call('network.remove', { ref: 'extra' });
    await t.client.call('container.remove', { id, force: true });
  });

  it("a network losing its last container takes no other network's isolation with it", async () => {
    for (const n of ['left', 'right', 'passing']) await t.client.call('network.create', { name: n });
    const server = await runDetached(['httpd', '-f', '-p', '80', '-h', '/etc'], { networkMode: 'left' });
    const prober = await runDetached(['sleep', '600'], { networkMode: 'right' });
    const probe = `timeout 2 wget -q -O - http://${await ipOf(server, 'left')}/hostname || echo unreachable`;
    expect(await execOutput(prober, ['sh', '-c', probe])).toBe('unreachable\n');
    // Its first container and its last: netavark tears the whole network down, its isolation rules with it.
    await t.run(['true'], { networkMode: 'passing', autoRemove: true });
    expect(await execOutput(prober, ['sh', '-c', probe])).toBe('unreachable\n');
    for (const id of [server, prober]) await t.client.call('container.remove', { id, force: true });
    for (const n of ['left', 'right', 'passing']) await t.client.call('network.remove', { ref: n });
  });

  it('--internal has no route out; the default bridge has a route out but no name resolution', async () => {
    await t.client.call('network.create', { name: 'inside', internal: true });
    const internal = await t.run(['sh', '-c', 'ip route'], { networkMode: 'inside', autoRemove: true });
    expect(internal.stdout).not.toMatch(/default/);
    expect(internal.stdout).toMatch(/ dev eth0 /);
    await t.client.call('network.remove', { ref: 'inside' });

    const server = await runDetached(['sleep', '600'], { name: 'named' });
    const r = await t.run(['sh', '-c', 'ip route | grep -c default; timeout 3 nslookup named >/dev/null 2>&1 && echo resolved || echo unresolved'], { autoRemove: true });
    expect(r.stdout).toBe('1\nunresolved\n');
    await t.client.call('container.remove', { id: server, force: true });
  });
});

describe('teardown', () => {
  it('stop, kill, rm -f and a dead monitor each leave no veth, rule, port or namespace', async () => {
    const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
    const start = async (port: number) =>
      runDetached(['httpd', '-f', '-p', '80', '-h', '/etc'], { portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } });
    const clean = () => expect(networkLeftovers(t.root, testNet.subnet, [testNet.bridge])).toEqual([]);

    const stopped = await start(ports[0]);
    await t.client.call('container.stop', { id: stopped, timeout: 0 });
    clean();
    expect(await canListen(ports[0])).toBe(true);

    const killed = await start(ports[1]);
    await t.client.call('container.kill', { id: killed });
    clean();

    const removed = await start(ports[2]);
    await t.client.call('container.remove', { id: removed, force: true });
    clean();

    // The monitor dies (SIGKILL): it cannot unwire; the container's process goes too, and the
    // engine, finding both gone, tears the network down from what the run dir holds.
    const orphan = await start(ports[3]);
    const row = await t.client.call('container.inspect', { id: orphan });
    const monitor = t.client.engine.containers.get(orphan)!.monitorPid;
    process.kill(monitor, 'SIGKILL');
    process.kill(row.State.Pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    await t.client.call('system.check', {});
    expect((await t.client.call('container.inspect', { id: orphan })).State.Status).toBe('exited');
    clean();
    expect(await canListen(ports[3])).toBe(true);
    for (const id of [stopped, killed, orphan]) await t.client.call('container.remove', { id });
  });

  it('the monitor killed while netavark is still setting up: the start fails, the setup is undone, nothing is left', async () => {
    const settingsFile = path.join(testNet.configRoot, 'strata', 'config.json');
    const saved = fs.readFileSync(settingsFile, 'utf8');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-slow-netavark-'));
    const begun = path.join(dir, 'setup-begun');
    const slow = path.join(dir, 'netavark');
    // netavark as configured, a second late to set up: the monitor dies while it works.
    fs.writeFileSync(slow, `#!/bin/sh\ncase " $* " in *" setup "*) touch ${begun}; sleep 1;; esac\nexec /usr/lib/podman/netavark "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(saved), 'netavark-binary': slow }));
    try {
      const port = await freePort();
      const { id } = await t.client.call('container.create', {
        image: t.image,
        cmd: ['sleep', '600'],
        portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      });
      const starting = t.client.call('container.start', { id });
      while (!fs.existsSync(begun)) await new Promise((r) => setTimeout(r, 10));
      process.kill(Number(fs.readFileSync(path.join(t.root, 'run', id, 'monitor.pid'), 'utf8')), 'SIGKILL');
      await expect(starting).rejects.toThrow();
      expect((await t.client.call('container.inspect', { id })).State.Status).toBe('created');
      expect(networkLeftovers(t.root, testNet.subnet, [testNet.bridge])).toEqual([]);
      expect(await canListen(port)).toBe(true);
      await t.client.call('container.remove', { id });
    } finally {
      fs.writeFileSync(settingsFile, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a teardown that fails midway still unwires the namespace: rm -f removes the container and leaves nothing', async () => {
    const { id: networkId } = await t.client.call('network.create', { name: 'doomed' });
    const bridge = (await t.client.call('network.list', {})).find((n) => n.id === networkId)!.bridge;
    const id = await runDetached(['sleep', '600'], { networkMode: 'doomed' });
    // Someone removes the network's port chain behind netavark's back (netavark names it
    // NETAVARK-DN- and 13 hex digits of the sha512 of the network's name, here its id):
    // its teardown then fails on it, after deleting the container's interface.
    const chain = `NETAVARK-DN-${createHash('sha512').update(networkId).digest('hex').toUpperCase().slice(0, 13)}`;
    execFileSync('iptables', ['-w', '-t', 'nat', '-X', chain]);
    await t.client.call('container.remove', { id, force: true });
    await t.client.call('network.remove', { ref: 'doomed' });
    expect(networkLeftovers(t.root, testNet.subnet, [testNet.bridge, bridge])).toEqual([]);
  });
});
