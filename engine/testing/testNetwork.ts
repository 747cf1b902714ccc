// Networks for tests, benchmarks and the e2e suite: each process claims its
// own /20 of 10.80.0.0/13 (below Podman's pools, away from Docker's) with a
// lock file holding its pid, and points $STRATA_CONFIG_ROOT at a settings
// file whose default bridge and address pool lie in it, with a bridge name of
// its own. So concurrent runs (other worktrees' included) never share a
// bridge or a subnet, and none tears down another's. A claim whose process
// died is free.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostRoutes } from '../network/hostNetwork';
import { formatSubnet, overlaps, parseSubnet, type Subnet } from '../network/ipv4';
import { networkKeys } from '../network/settings';

const claimsDir = path.join(os.tmpdir(), 'strata-test-networks');
const range = parseSubnet('10.80.0.0/13');
const chunkBits = 20;
const chunks = 2 ** (chunkBits - range.prefix);

export interface TestNetwork {
  /** Holds strata/config.json: $STRATA_CONFIG_ROOT for the process and its children. */
  configRoot: string;
  bridge: string;
  subnet: Subnet;
  /** The settings file's keys for this network, for a test that writes a settings file of its own. */
  keys: Record<string, unknown>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims of processes that are gone (test workers are often killed, not exited) are freed. */
function sweep(): void {
  for (const name of fs.readdirSync(claimsDir)) {
    const m = /^(\d+)\.lock$/.exec(name);
    if (!m) continue;
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(claimsDir, name), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process's sweep freed it meanwhile
      throw err;
    }
    if (owner > 0 && alive(owner)) continue;
    fs.rmSync(path.join(claimsDir, `${m[1]}-${owner}`), { recursive: true, force: true });
    fs.rmSync(path.join(claimsDir, name), { force: true });
  }
}

/**
 * The lock appears with the pid already in it (a draft linked into place): an
 * empty lock, caught between its creation and its write, would look dead to
 * another process's sweep and be freed under its owner.
 */
function tryClaim(lock: string): boolean {
  const draft = `${lock}.${process.pid}`;
  fs.writeFileSync(draft, String(process.pid));
  try {
    fs.linkSync(draft, lock);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/** This process's test network (claimed once, or its parent's), with $STRATA_CONFIG_ROOT set to its settings. */
export function claimTestNetwork(): TestNetwork {
  // Test files run one after another in a process (and children run the CLI): one claim serves them all.
  const inherited = process.env.STRATA_TEST_NETWORK;
  if (inherited) {
    const net = JSON.parse(inherited) as TestNetwork;
    process.env.STRATA_CONFIG_ROOT = net.configRoot;
    return net;
  }
  fs.mkdirSync(claimsDir, { recursive: true });
  sweep();
  const routes = hostRoutes().map((r) => r.subnet);
  const start = Math.floor(Math.random() * chunks);
  for (let i = 0; i < chunks; i++) {
    const k = (start + i) % chunks;
    const subnet: Subnet = { base: range.base + k * 2 ** (32 - chunkBits), prefix: chunkBits };
    if (routes.some((r) => overlaps(r, subnet))) continue;
    // A bridge of that name left by a killed run still holds netavark's rules for the chunk: its leftovers would be ours.
    if (fs.existsSync(`/sys/class/net/strata-t${k}`)) continue;
    const lock = path.join(claimsDir, `${k}.lock`);
    if (!tryClaim(lock)) continue;
    const configRoot = path.join(claimsDir, `${k}-${process.pid}`);
    const bridge = `strata-t${k}`;
    const keys = networkKeys(bridge, { base: subnet.base, prefix: 24 }, subnet, 24);
    fs.mkdirSync(path.join(configRoot, 'strata'), { recursive: true });
    fs.writeFileSync(path.join(configRoot, 'strata', 'config.json'), JSON.stringify(keys, null, 2));
    process.on('exit', () => {
      fs.rmSync(configRoot, { recursive: true, force: true });
      fs.rmSync(lock, { force: true });
    });
    const net = { configRoot, bridge, subnet, keys };
    process.env.STRATA_CONFIG_ROOT = configRoot;
    process.env.STRATA_TEST_NETWORK = JSON.stringify(net);
    return net;
  }
  throw new Error(`no free test network left in ${formatSubnet(range)} (claims in ${claimsDir})`);
}
