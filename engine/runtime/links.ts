// `rm --link /PARENT/ALIAS`: forgets a legacy link (--link), as dockerd's
// rmLink does; the containers themselves stay.

import { conflict, notFound } from '../errors';
import { findContainer, type RuntimeContext } from './context';

export function removeLink(ctx: RuntimeContext, ref: string): void {
  const name = ref.startsWith('/') ? ref : `/${ref}`;
  const slash = name.lastIndexOf('/');
  if (slash === 0) throw conflict('Conflict, cannot remove the default link name of the container');
  const parentName = name.slice(0, slash);
  let parent;
  try {
    parent = findContainer(ctx, parentName);
  } catch {
    throw notFound(`Cannot get parent ${parentName} for link name ${name}`);
  }
  const links = parent.spec.HostConfig.Links ?? [];
  const kept = links.filter((link) => link.split(':')[1] !== name);
  if (kept.length === links.length) throw notFound(`No such container: ${name}`);
  ctx.containers.setSpec(parent.id, { ...parent.spec, HostConfig: { ...parent.spec.HostConfig, Links: kept } });
}
