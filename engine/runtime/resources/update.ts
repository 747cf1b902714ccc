// `update`: new limits for a container. A running (or paused) one gets them
// in its cgroups at once; every container keeps them for its next start.
// The cgroups are written first: a limit the kernel refuses (a memory
// limit below what the container already uses) changes nothing.

import type { UpdateOptions } from '../../api';
import { EngineError, asEngineError } from '../../errors';
import { containerEvent, findContainer, type RuntimeContext } from '../context';
import { cgroupsOf } from '../lifecycle';
import { applyResources } from './apply';
import { resourcesOf, updateResources } from './limits';
import { cgroupSupport } from './support';

export function updateContainer(ctx: RuntimeContext, opts: UpdateOptions): { warnings: string[] } {
  const row = findContainer(ctx, opts.id);
  try {
    if (row.state === 'removing' || row.state === 'dead') throw new EngineError('Conflict', `container is marked for removal and cannot be "update"`);
    const { resources, warnings } = updateResources(resourcesOf(row.spec.HostConfig), opts, cgroupSupport());
    const cg = cgroupsOf(ctx, row.id);
    if ((row.state === 'running' || row.state === 'paused') && cg) applyResources(cg, resources);
    ctx.containers.updateSpec(row.id, { ...row.spec, HostConfig: { ...row.spec.HostConfig, ...resources } });
    containerEvent(ctx, row, 'update');
    return { warnings };
  } catch (err) {
    const e = asEngineError(err);
    throw new EngineError(e.code, `Cannot update container ${row.id}: ${e.message}`);
  }
}
