// What a killed engine or a dead monitor leaves of networking, and its
// cleanup: `strata system check` runs it, and so does every engine as it
// opens (after recording the exits its monitors wrote). Only this engine's
// own things are looked at — the namespaces bound in its run dirs and the
// endpoints in its database — so another engine's containers, on this or any
// other root, are never touched. A container being started right now is left
// alone: its monitor (or the process allocating its addresses) is alive.

import fs from 'node:fs';
import path from 'node:path';
import { isLive } from '../api';
import type { RuntimeContext } from '../runtime/context';
import { isShimAlive, processRunning } from '../runtime/shim';
import { namespaceBound, runNetwork } from './netavark';



function monitorAlive(runDir: string): boolean {
  try {
    return isShimAlive(Number(fs.readFileSync(path.join(runDir, 'monitor.pid'), 'utf8')));
  } catch {
    return false;
  }
}

/** Tears down namespaces no monitor looks after, and releases addresses no container holds. One line per thing cleaned. */
export async function checkNetworks(ctx: RuntimeContext): Promise<{ cleaned: string[] }> {
  const cleaned: string[] = [];
  let ids: string[];
  try {
    ids = fs.readdirSync(ctx.paths.runRoot).filter((name) => /^[0-9a-f]{64}$/.test(name));
  } catch {
    ids = [];
  }
  for (const id of ids) {
    const runDir = ctx.paths.runDir(id);
    const dir = ctx.paths.networkDir(id);
    if (!namespaceBound(dir) || monitorAlive(runDir)) continue;
    const row = ctx.containers.get(id);
    if (row && isLive(row.state) && processRunning(row.pid)) continue; // its monitor died, its process still runs
    await runNetwork('teardown', dir);
    cleaned.push(`container ${id.slice(0, 12)}: its network was torn down (its monitor was gone)`);
    if (!row) fs.rmSync(runDir, { recursive: true, force: true });
  }
  for (const e of ctx.networks.allEndpoints()) {
    const row = ctx.containers.get(e.containerId);
    if ((row && isLive(row.state)) || processRunning(e.pid)) continue;
    ctx.networks.removeEndpoint(e.networkId, e.containerId);
    const network = ctx.networks.get(e.networkId)?.name ?? e.networkId;
    cleaned.push(`network ${network}: address ${e.ip} released (container ${e.containerId.slice(0, 12)} does not run)`);
  }
  return { cleaned };
}
