// --cap-add and --cap-drop as Docker reads them: names in any case, with or
// without CAP_, and ALL; then moby's TweakCapabilities on the default set.

import { invalidArgument } from '../errors';

/** Capability names by number (linux/capability.h), as the launcher knows them. */
export const capabilityNames = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
].map((name) => `CAP_${name}`);

/** "net_admin" -> "CAP_NET_ADMIN"; "all" -> "ALL"; unknown names refused (`what`: CapAdd or CapDrop). */
export function normalizeCapabilities(names: readonly string[], known: readonly string[], what: string): string[] {
  return names.map((name) => {
    const upper = name.trim().toUpperCase();
    if (upper === 'ALL') return 'ALL';
    const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!known.includes(cap)) throw invalidArgument(`invalid ${what}: unknown capability: "${cap}"`);
    return cap;
  });
}

/**
 * The capability set: ALL added gives every one (`all`) but the dropped
 * ones; ALL dropped gives only the added ones; otherwise the defaults
 * without the dropped ones, plus the added ones.
 */
export function tweakCapabilities(
  defaults: readonly string[],
  adds: readonly string[],
  drops: readonly string[],
  all: readonly string[],
): string[] {
  if (adds.includes('ALL')) return all.filter((c) => !drops.includes(c));
  if (drops.includes('ALL')) return [...new Set(adds)];
  return [...new Set([...defaults.filter((c) => !drops.includes(c)), ...adds])];
}
