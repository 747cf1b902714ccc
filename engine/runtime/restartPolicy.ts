// Docker's restart policies, with no daemon: checked at create in the
// daemon's words, carried out by the container's monitor from its start
// (engine/native/shim/restart.c: moby's restartmanager rules and back-off),
// and weighed again by `strata system boot` as dockerd weighs them when it
// starts: a machine that rebooted has no monitors left, so containers come
// back only when something runs boot (see the README).

import type { CreateOptions } from '../api';
import { invalidArgument } from '../errors';
import type { RestartPolicy } from '../inspect';
import type { ContainerRow } from '../store/containers';

/** HostConfig.RestartPolicy from the options, refused as dockerd refuses it. */
export function restartPolicyOf(opts: CreateOptions): RestartPolicy {
  const name = opts.restartPolicy?.name || 'no';
  const max = opts.restartPolicy?.maximumRetryCount ?? 0;
  if (name === 'no' || name === 'always' || name === 'unless-stopped') {
    if (max !== 0) throw invalidArgument(`maximum retry count cannot be used with restart policy '${name}'`);
  } else if (name === 'on-failure') {
    if (max < 0) throw invalidArgument('maximum retry count cannot be negative');
  } else {
    throw invalidArgument(`invalid restart policy '${name}'`);
  }
  if (name !== 'no' && opts.autoRemove) throw invalidArgument("can't create 'AutoRemove' container with restart policy");
  return { Name: name, MaximumRetryCount: max };
}

/** The monitor's --restart option (none for no). */
export function restartMonitorArgs(row: ContainerRow): string[] {
  const p = row.spec.HostConfig.RestartPolicy;
  if (!p || p.Name === 'no') return [];
  return ['--restart', p.Name === 'on-failure' && p.MaximumRetryCount > 0 ? `on-failure:${p.MaximumRetryCount}` : p.Name];
}

/**
 * What dockerd starts as it comes up (moby's ShouldRestart for a container
 * that ran before): always, unless-stopped unless stopped by hand, and
 * on-failure after a failure with retries left. A container never started
 * stays created.
 */
export function restartsAtBoot(row: ContainerRow): boolean {
  const p = row.spec.HostConfig.RestartPolicy;
  if (!p || row.state !== 'exited' || row.startedAt === 0) return false;
  switch (p.Name) {
    case 'always':
      return true;
    case 'unless-stopped':
      return !row.manuallyStopped;
    case 'on-failure':
      return row.exitCode !== 0 && (p.MaximumRetryCount === 0 || row.restartCount < p.MaximumRetryCount);
    default:
      return false;
  }
}
