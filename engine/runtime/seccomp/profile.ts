// Seccomp profiles in Docker's format (--security-opt seccomp=FILE, and the
// default one in dockerDefault.ts), read as hostile input, and resolved for
// one container into the runtime spec's linux.seccomp, as moby's
// setupSeccomp does: the archMap entry of this machine's arch, and only the
// rules whose includes/excludes match this arch, the container's bounding
// capabilities and this kernel. The launcher compiles the result to BPF
// (engine/native/shim/seccomp.c).

import os from 'node:os';
import { invalidArgument } from '../../errors';

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

interface SeccompFilter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

export interface DockerSyscallRule {
  names?: string[];
  /** Older profiles' single name. */
  name?: string;
  action: string;
  errnoRet?: number;
  args?: SeccompArg[] | null;
  comment?: string;
  includes?: SeccompFilter;
  excludes?: SeccompFilter;
}

export interface DockerSeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures: string[] | null }[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: DockerSyscallRule[];
}

/** The runtime spec's linux.seccomp. */
export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: { names: string[]; action: string; errnoRet?: number; args?: SeccompArg[] }[];
}

export const seccompActions = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
];
const operators = ['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ'];
const architectures = [
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X32',
  'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64',
  'SCMP_ARCH_MIPS',
  'SCMP_ARCH_MIPS64',
  'SCMP_ARCH_MIPS64N32',
  'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64',
  'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC',
  'SCMP_ARCH_PPC64',
  'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390',
  'SCMP_ARCH_S390X',
  'SCMP_ARCH_PARISC',
  'SCMP_ARCH_PARISC64',
  'SCMP_ARCH_RISCV64',
  'SCMP_ARCH_LOONGARCH64',
];
const flags = ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'];

/** libseccomp's name for this machine's arch (moby's goToNative, from Node's names). */
const nativeArch: string =
  ({ x64: 'amd64', ia32: 'x86', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips64el: 'mipsel64' } as Record<string, string>)[
    process.arch
  ] ?? process.arch;

/** The profile's arch token for this machine's arch (moby's nativeToSeccomp). */
const nativeSeccompArch: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64',
  x86: 'SCMP_ARCH_X86',
  arm64: 'SCMP_ARCH_AARCH64',
  arm: 'SCMP_ARCH_ARM',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  s390x: 'SCMP_ARCH_S390X',
  riscv64: 'SCMP_ARCH_RISCV64',
  loong64: 'SCMP_ARCH_LOONGARCH64',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
};

const decodeError = (why: string) => invalidArgument(`Decoding seccomp profile failed: ${why}`);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringField(obj: Record<string, Json>, key: string, where: string, allowed?: readonly string[]): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw decodeError(`${where}.${key} must be a string`);
  if (allowed && !allowed.includes(v)) throw decodeError(`${where}.${key}: "${v}" is not one of ${allowed.join(', ')}`);
  return v;
}

function stringList(obj: Record<string, Json>, key: string, where: string, allowed?: readonly string[]): string[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw decodeError(`${where}.${key} must be an array of strings`);
  for (const x of v as string[]) if (allowed && !allowed.includes(x)) throw decodeError(`${where}.${key}: "${x}" is not one of ${allowed.join(', ')}`);
  return v as string[];
}

/** A number the launcher can compare exactly: JSON numbers past 2^53 would arrive rounded. */
function integerField(obj: Record<string, Json>, key: string, where: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw decodeError(`${where}.${key} must be an integer from 0 to ${max}`);
  }
  return v;
}

function parseFilter(v: Json, where: string): SeccompFilter | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw decodeError(`${where} must be an object`);
  const minKernel = stringField(v, 'minKernel', where);
  if (minKernel !== undefined && minKernel !== '' && !/^\d+\.\d+$/.test(minKernel)) {
    throw decodeError(`invalid kernel version: "${minKernel}", expected "<kernel>.<major>"`);
  }
  return { caps: stringList(v, 'caps', where), arches: stringList(v, 'arches', where), minKernel: minKernel || undefined };
}

function parseArg(v: Json, where: string): SeccompArg {
  if (!isObject(v)) throw decodeError(`${where} must be an object`);
  const op = stringField(v, 'op', where, operators);
  if (op === undefined) throw decodeError(`${where}.op is required`);
  return { index: integerField(v, 'index', where, 5) ?? 0, value: integerField(v, 'value', where) ?? 0, valueTwo: integerField(v, 'valueTwo', where), op };
}

function parseRule(v: Json, where: string): DockerSyscallRule {
  if (!isObject(v)) throw decodeError(`${where} must be an object`);
  const name = stringField(v, 'name', where);
  const names = stringList(v, 'names', where);
  if (name && names && names.length > 0) throw invalidArgument("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
  const action = stringField(v, 'action', where, seccompActions);
  if (action === undefined) throw decodeError(`${where}.action is required`);
  const args = v.args;
  if (args !== undefined && args !== null && !Array.isArray(args)) throw decodeError(`${where}.args must be an array`);
  return {
    names: name ? [name] : (names ?? []),
    action,
    errnoRet: integerField(v, 'errnoRet', where, 0xffff),
    args: (args as Json[] | null | undefined)?.map((a, i) => parseArg(a, `${where}.args[${i}]`)) ?? null,
    includes: parseFilter(v.includes, `${where}.includes`),
    excludes: parseFilter(v.excludes, `${where}.excludes`),
  };
}

/** A profile file's text, checked field by field (it comes from anyone). */
export function parseDockerProfile(text: string): DockerSeccompProfile {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw decodeError((err as Error).message);
  }
  if (!isObject(doc)) throw decodeError('the profile must be a JSON object');
  const archMap = doc.archMap;
  if (archMap !== undefined && archMap !== null && (!Array.isArray(archMap) || !archMap.every(isObject))) {
    throw decodeError('archMap must be an array of objects');
  }
  const syscalls = doc.syscalls;
  if (syscalls !== undefined && syscalls !== null && !Array.isArray(syscalls)) throw decodeError('syscalls must be an array');
  const profile: DockerSeccompProfile = {
    defaultAction: stringField(doc, 'defaultAction', 'profile', ['', ...seccompActions]) ?? '',
    defaultErrnoRet: integerField(doc, 'defaultErrnoRet', 'profile', 0xffff),
    architectures: stringList(doc, 'architectures', 'profile', architectures),
    archMap: (archMap as Record<string, Json>[] | undefined)?.map((a, i) => ({
      architecture: stringField(a, 'architecture', `archMap[${i}]`, architectures) ?? '',
      subArchitectures: stringList(a, 'subArchitectures', `archMap[${i}]`, architectures) ?? null,
    })),
    flags: stringList(doc, 'flags', 'profile', flags),
    listenerPath: stringField(doc, 'listenerPath', 'profile'),
    listenerMetadata: stringField(doc, 'listenerMetadata', 'profile'),
    syscalls: (syscalls as Json[] | undefined)?.map((r, i) => parseRule(r, `syscalls[${i}]`)),
  };
  if (profile.listenerPath) throw invalidArgument('seccomp profiles with a listenerPath (SCMP_ACT_NOTIFY) are not supported');
  if (profile.defaultAction === 'SCMP_ACT_NOTIFY' || profile.syscalls?.some((r) => r.action === 'SCMP_ACT_NOTIFY')) {
    throw invalidArgument('SCMP_ACT_NOTIFY is not supported in seccomp profiles');
  }
  return profile;
}

/** The kernel's version as "<kernel>.<major>" compares: 6.18.44-foo is (6, 18). */
function kernelAtLeast(minimum: string, release = os.release()): boolean {
  const [want, have] = [minimum, release].map((v) => (/^(\d+)\.(\d+)/.exec(v) ?? ['', '0', '0']).slice(1).map(Number));
  return have[0] > want[0] || (have[0] === want[0] && have[1] >= want[1]);
}

function applies(rule: DockerSyscallRule, bounding: readonly string[]): boolean {
  const ex = rule.excludes;
  if (ex?.arches?.includes(nativeArch)) return false;
  if (ex?.caps?.some((c) => bounding.includes(c))) return false;
  if (ex?.minKernel && kernelAtLeast(ex.minKernel)) return false;
  const inc = rule.includes;
  if (inc?.arches && inc.arches.length > 0 && !inc.arches.includes(nativeArch)) return false;
  if (inc?.caps?.some((c) => !bounding.includes(c))) return false;
  if (inc?.minKernel && !kernelAtLeast(inc.minKernel)) return false;
  return true;
}

/**
 * linux.seccomp for a container whose bounding set is `bounding`; null when
 * the profile sets no default action and lists no calls (Docker then runs
 * the container without seccomp).
 */
export function resolveProfile(profile: DockerSeccompProfile, bounding: readonly string[]): OciSeccomp | null {
  if (!profile.defaultAction && (profile.syscalls?.length ?? 0) === 0) return null;
  if ((profile.architectures?.length ?? 0) > 0 && (profile.archMap?.length ?? 0) > 0) {
    throw invalidArgument("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  const arches = [...(profile.architectures ?? [])];
  const mapped = profile.archMap?.find((a) => a.architecture === nativeSeccompArch[nativeArch]);
  if (mapped) arches.push(mapped.architecture, ...(mapped.subArchitectures ?? []));
  const syscalls = (profile.syscalls ?? [])
    .filter((r) => applies(r, bounding))
    .map((r) => ({
      names: r.names ?? [],
      action: r.action,
      ...(r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}),
      ...(r.args && r.args.length > 0 ? { args: r.args } : {}),
    }));
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    ...(arches.length > 0 ? { architectures: arches } : {}),
    ...(profile.flags?.length ? { flags: profile.flags } : {}),
    syscalls,
  };
}
