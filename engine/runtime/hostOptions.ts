// A new container's security options and limits, checked at create as
// dockerd checks them and kept in HostConfig under Docker's names (inspect
// shows them so). Bad input is refused here, before anything is made.

import type { CreateOptions } from '../api';
import { invalidArgument } from '../errors';
import type { HostResourcesJson, HostSecurityJson } from '../inspect';
import { capabilityNames, normalizeCapabilities } from './capabilities';
import { createResources } from './resources/limits';
import { cgroupSupport } from './resources/support';
import { parseSecurityOpts } from './security';
import { defaultShmSize } from './spec';
import { checkUlimits } from './ulimits';

export function hostOptions(opts: CreateOptions): { host: HostSecurityJson & HostResourcesJson; warnings: string[] } {
  const securityOpt = opts.securityOpt ?? [];
  parseSecurityOpts(securityOpt);
  if ((opts.shmSize ?? 0) < 0) throw invalidArgument('SHM size can not be less than 0');
  const nonEmpty = (list: string[] | undefined) => (list && list.length > 0 ? list : null);
  const { resources, warnings } = createResources(opts, cgroupSupport());
  return {
    host: {
      CapAdd: nonEmpty(normalizeCapabilities(opts.capAdd ?? [], capabilityNames, 'CapAdd')),
      CapDrop: nonEmpty(normalizeCapabilities(opts.capDrop ?? [], capabilityNames, 'CapDrop')),
      SecurityOpt: nonEmpty(securityOpt),
      ReadonlyRootfs: !!opts.readOnly,
      GroupAdd: nonEmpty(opts.groupAdd),
      Ulimits: checkUlimits(opts.ulimits ?? []),
      ShmSize: opts.shmSize || defaultShmSize,
      Init: opts.init ?? null,
      ...resources,
    },
    warnings,
  };
}
