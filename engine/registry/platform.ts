// Platforms as containerd's platforms package normalizes and matches them:
// "linux/arm64" is linux/arm64/v8, "aarch64" is arm64, "armhf" is arm/v7;
// an arm64 machine also runs arm v8..v5 images, an amd64 one only amd64.
// The machine's own platform is what an index is searched for unless
// --platform names another.

import { invalidArgument } from '../errors';
import { hostArchitecture } from '../oci/config';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

const archAliases: Record<string, [string, string?]> = {
  aarch64: ['arm64'],
  x86_64: ['amd64'],
  'x86-64': ['amd64'],
  i386: ['386'],
  i686: ['386'],
  armhf: ['arm', 'v7'],
  armel: ['arm', 'v6'],
};

/** The normalized form: lower case, aliases resolved, arm64's variant v8 and arm's v7 by default. */
export function normalizePlatform(p: PlatformSpec): PlatformSpec {
  const os = p.os.toLowerCase() === 'macos' ? 'darwin' : p.os.toLowerCase();
  let architecture = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase() || undefined;
  const alias = archAliases[architecture];
  if (alias) {
    architecture = alias[0];
    variant = variant ?? alias[1];
  }
  if (variant && /^[0-9]+$/.test(variant)) variant = `v${variant}`;
  if (architecture === 'arm64') variant = variant ?? 'v8';
  if (architecture === 'arm') variant = variant ?? 'v7';
  if (architecture === 'amd64' && variant === 'v1') variant = undefined;
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** `--platform os[/arch[/variant]]`; a lone architecture means linux. */
export function parsePlatform(text: string): PlatformSpec {
  const parts = text.split('/');
  const bad = () => invalidArgument(`${JSON.stringify(text)}: unknown operating system or architecture: invalid argument`);
  if (parts.length > 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) throw bad();
  const knownOs = ['linux', 'windows', 'darwin', 'freebsd', 'macos'];
  if (parts.length === 1) {
    const p = parts[0]!.toLowerCase();
    if (knownOs.includes(p)) return normalizePlatform({ os: p, architecture: hostArchitecture() });
    return normalizePlatform({ os: 'linux', architecture: p });
  }
  if (!knownOs.includes(parts[0]!.toLowerCase())) throw bad();
  return normalizePlatform({ os: parts[0]!, architecture: parts[1]!, variant: parts[2] });
}

export function hostPlatform(): PlatformSpec {
  const arch = hostArchitecture();
  const armVersion = String((process.config.variables as Record<string, unknown>).arm_version ?? '7');
  return normalizePlatform({ os: 'linux', architecture: arch, variant: arch === 'arm' ? `v${armVersion}` : undefined });
}

export function formatPlatform(p: PlatformSpec): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** The platforms a machine of platform `p` runs, best first (containerd's platforms.Only). */
export function compatible(p: PlatformSpec): PlatformSpec[] {
  const n = normalizePlatform(p);
  const out = [n];
  const arm = (from: number) => {
    for (let v = from; v >= 5; v--) out.push({ os: n.os, architecture: 'arm', variant: `v${v}` });
  };
  if (n.architecture === 'arm64' && n.variant === 'v8') arm(8);
  if (n.architecture === 'arm') arm(Number(n.variant?.slice(1) ?? 7) - 1);
  return out;
}

/** How well `candidate` suits a machine of platform `wanted`: 0 best, -1 not at all. */
export function platformRank(wanted: PlatformSpec, candidate: PlatformSpec): number {
  const c = normalizePlatform(candidate);
  return compatible(wanted).findIndex((w) => w.os === c.os && w.architecture === c.architecture && (w.variant ?? '') === (c.variant ?? ''));
}
