// --security-opt as dockerd reads HostConfig.SecurityOpt, and what the
// container's process then runs with: no_new_privs, and its seccomp filter
// (Docker's default profile, a profile of its own, or none).
//
// AppArmor and SELinux options are accepted and have no effect: Strata
// applies neither (the README's threat model says so).

import { invalidArgument } from '../errors';
import type { HostConfig } from '../store/containers';
import { dockerDefaultProfile } from './seccomp/dockerDefault';
import { parseDockerProfile, resolveProfile, type DockerSeccompProfile, type OciSeccomp } from './seccomp/profile';

export interface SecuritySettings {
  noNewPrivileges: boolean;
  /** 'default': Docker's profile; 'unconfined': none; else the container's own profile. */
  seccomp: 'default' | 'unconfined' | DockerSeccompProfile;
}

const parseBool = (v: string): boolean | undefined =>
  ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v) ? true : ['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v) ? false : undefined;

/** Reads the options as moby's parseSecurityOpt does, with its error words. */
export function parseSecurityOpts(opts: readonly string[]): SecuritySettings {
  const settings: SecuritySettings = { noNewPrivileges: false, seccomp: 'default' };
  for (const opt of opts) {
    if (opt === 'no-new-privileges') {
      settings.noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue; // label=disable's short form
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
    if (sep === undefined) throw invalidArgument(`invalid --security-opt 1: "${opt}"`);
    const key = opt.slice(0, opt.indexOf(sep));
    const value = opt.slice(opt.indexOf(sep) + 1);
    switch (key) {
      case 'label':
      case 'apparmor':
        break;
      case 'seccomp':
        settings.seccomp = value === 'unconfined' ? 'unconfined' : value === 'builtin' || value === '' ? 'default' : parseDockerProfile(value);
        break;
      case 'no-new-privileges': {
        const on = parseBool(value);
        if (on === undefined) throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
        settings.noNewPrivileges = on;
        break;
      }
      default:
        throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return settings;
}

/**
 * linux.seccomp for a container whose bounding set is `bounding`: none for
 * --privileged (unless it names a profile of its own, as Docker) and for
 * seccomp=unconfined.
 */
export function containerSeccomp(host: HostConfig, bounding: readonly string[]): OciSeccomp | null {
  const { seccomp } = parseSecurityOpts(host.SecurityOpt ?? []);
  if (seccomp === 'unconfined' || (host.Privileged && seccomp === 'default')) return null;
  return resolveProfile(seccomp === 'default' ? dockerDefaultProfile : seccomp, bounding);
}
