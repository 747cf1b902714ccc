// `strata system boot`: what dockerd does as it comes up, for an engine with
// no daemon. A machine that restarted has no monitors left, so no restart
// policy is carried out until something runs this (a systemd unit, see the
// README). The engine's open has already recorded the containers that
// stopped while it was down (reconcile); boot starts those whose policy says
// so, as a start by hand does (RestartCount back to 0).

import { startContainer } from './lifecycle';
import type { RuntimeContext } from './context';
import { restartsAtBoot } from './restartPolicy';

export interface BootReport {
  started: string[];
  failed: { name: string; error: string }[];
}

export async function bootContainers(ctx: RuntimeContext): Promise<BootReport> {
  const report: BootReport = { started: [], failed: [] };
  for (const row of ctx.containers.list(true).reverse()) {
    if (!restartsAtBoot(row)) continue;
    try {
      await startContainer(ctx, row.id);
      report.started.push(row.name);
    } catch (err) {
      report.failed.push({ name: row.name, error: (err as Error).message });
    }
  }
  return report;
}
