// Reading Docker's profile format and resolving it for one container, as
// moby's setupSeccomp does.

import { describe, expect, it } from 'vitest';
import { defaultCapabilities } from '../spec';
import { dockerDefaultProfile } from './dockerDefault';
import { parseDockerProfile, resolveProfile, type OciSeccomp } from './profile';

const namesFor = (p: OciSeccomp | null, action = 'SCMP_ACT_ALLOW') =>
  new Set((p?.syscalls ?? []).filter((r) => r.action === action && !r.args).flatMap((r) => r.names));

describe("Docker's default profile", () => {
  it('allows what every container needs and refuses the calls only some capabilities make safe', () => {
    const p = resolveProfile(dockerDefaultProfile, defaultCapabilities)!;
    expect(p.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(p.defaultErrnoRet).toBe(1);
    const allowed = namesFor(p);
    for (const name of ['read', 'write', 'execve', 'ptrace']) expect(allowed.has(name), name).toBe(true);
    // CAP_SYS_CHROOT is a default capability; CAP_SYS_ADMIN, CAP_SYS_TIME, CAP_SYS_BOOT are not.
    expect(allowed.has('chroot')).toBe(true);
    for (const name of ['mount', 'unshare', 'setns', 'bpf', 'clock_settime', 'reboot', 'keyctl', 'kexec_load']) {
      expect(allowed.has(name), name).toBe(false);
    }
    // clone is allowed only without namespace flags; clone3 answers ENOSYS so that libcs fall back to clone.
    expect(p.syscalls!.find((r) => r.names.includes('clone'))!.args).toEqual([{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }]);
    expect(p.syscalls!.find((r) => r.names.includes('clone3'))).toEqual({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
  });

  it('allows namespaces, mounts and the rest with CAP_SYS_ADMIN, and clock_settime with CAP_SYS_TIME', () => {
    const p = resolveProfile(dockerDefaultProfile, [...defaultCapabilities, 'CAP_SYS_ADMIN', 'CAP_SYS_TIME'])!;
    const allowed = namesFor(p);
    for (const name of ['mount', 'unshare', 'setns', 'clone', 'clone3', 'clock_settime']) expect(allowed.has(name), name).toBe(true);
    expect(p.syscalls!.some((r) => r.names.includes('clone3') && r.action === 'SCMP_ACT_ERRNO')).toBe(false);
  });

  it('takes the architectures of this machine from the archMap', () => {
    const p = resolveProfile(dockerDefaultProfile, defaultCapabilities)!;
    if (process.arch === 'x64') expect(p.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(namesFor(p).has('arch_prctl')).toBe(process.arch === 'x64');
    expect(namesFor(p).has('s390_runtime_instr')).toBe(false);
  });

  it('drops no CAP_ rule a capability set would not', () => {
    const none = resolveProfile(dockerDefaultProfile, [])!;
    expect(namesFor(none).has('chroot')).toBe(false);
  });
});

describe('a profile file', () => {
  it('is read in Docker’s format, old single names included, and resolved against kernels and arches', () => {
    const p = parseDockerProfile(
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [
          { name: 'mkdir', action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
          { names: ['rmdir'], action: 'SCMP_ACT_ERRNO', includes: { minKernel: '99.0' } },
          { names: ['chmod'], action: 'SCMP_ACT_ERRNO', excludes: { minKernel: '3.0' } },
          { names: ['lseek'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 5, op: 'SCMP_CMP_GT' }] },
        ],
      }),
    );
    expect(resolveProfile(p, [])).toEqual({
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['lseek'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 5, op: 'SCMP_CMP_GT' }] },
      ],
    });
  });

  it('that says nothing turns seccomp off, as Docker', () => {
    expect(resolveProfile(parseDockerProfile('{}'), [])).toBeNull();
  });

  it.each([
    ['{bad', /^Decoding seccomp profile failed: /],
    ['[]', /must be a JSON object/],
    ['{"defaultAction": 5}', /defaultAction must be a string/],
    ['{"defaultAction": "SCMP_ACT_FOO"}', /"SCMP_ACT_FOO" is not one of/],
    ['{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}', /index must be an integer from 0 to 5/],
    ['{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]}]}', /value must be an integer/],
    ['{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_XX"}]}]}', /op: "SCMP_CMP_XX"/],
    ['{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ERRNO"}]}', /both 'name' and 'names'/],
    ['{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO", "includes": {"minKernel": "5"}}]}', /invalid kernel version/],
    ['{"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/x.sock"}', /not supported/],
    ['{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_NOPE"]}', /"SCMP_ARCH_NOPE" is not one of/],
  ])('refuses %s with one line', (text, why) => {
    expect(() => parseDockerProfile(text)).toThrow(why);
  });

  it('refuses both architectures and archMap', () => {
    const p = parseDockerProfile(
      JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86'], archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: null }] }),
    );
    expect(() => resolveProfile(p, [])).toThrow(/both 'architectures' and 'archMap'/);
  });
});
