// Seccomp on the real kernel: a probe in a container makes each call Docker's
// profile is about (mount, unshare -U, keyctl, bpf, clock_settime, reboot...)
// and reports what it got. What the profile should do to each call comes
// from the profile itself (a reference reading of its rules); what the
// kernel answers a call the filter lets through comes from the same probe
// run without a filter, with the same capabilities.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateOptions } from '../../api';
import { buildSyscallProbe } from '../../testing/syscallProbe';
import { collect, tempEngine, type TempEngine } from '../../testing/tempEngine';
import { defaultCapabilities } from '../spec';
import { dockerDefaultProfile } from './dockerDefault';
import { resolveProfile, type OciSeccomp, type SeccompArg } from './profile';

let t: TempEngine;
let probeDir: string;

beforeAll(async () => {
  probeDir = buildSyscallProbe(fs.mkdtempSync(path.join(os.tmpdir(), 'strata-probe-')));
  t = await tempEngine();
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  fs.rmSync(probeDir, { recursive: true, force: true });
});

const CLONE_NEWUSER = 0x10000000n;
const SIGCHLD = 17n;

/** Each probe: the call it makes and the arguments the profile's rules may look at. */
const probes: Record<string, [string, bigint[]]> = {
  mount: ['mount', []],
  umount2: ['umount2', []],
  unshare: ['unshare', [0x80000000n]],
  'unshare-user': ['unshare', [CLONE_NEWUSER]],
  keyctl: ['keyctl', []],
  add_key: ['add_key', []],
  request_key: ['request_key', []],
  bpf: ['bpf', []],
  kexec_load: ['kexec_load', []],
  clock_settime: ['clock_settime', []],
  settimeofday: ['settimeofday', []],
  reboot: ['reboot', []],
  init_module: ['init_module', []],
  delete_module: ['delete_module', []],
  acct: ['acct', []],
  ptrace: ['ptrace', []],
  personality: ['personality', [8n]],
  'personality-addr-no-randomize': ['personality', [0x0040000n]],
  'socket-inet': ['socket', [2n, 2n, 0n]],
  'socket-vsock': ['socket', [40n, 1n, 0n]],
  clone: ['clone', [SIGCHLD]],
  'clone-newuser': ['clone', [CLONE_NEWUSER | SIGCHLD]],
  clone3: ['clone3', []],
  setns: ['setns', []],
  sethostname: ['sethostname', []],
  chroot: ['chroot', []],
  quotactl: ['quotactl', []],
  perf_event_open: ['perf_event_open', []],
  process_vm_readv: ['process_vm_readv', []],
  get_mempolicy: ['get_mempolicy', []],
  move_pages: ['move_pages', []],
  getpid: ['getpid', []],
  ...(process.arch === 'x64' ? { iopl: ['iopl', []], ioperm: ['ioperm', []] } : {}),
};

const errnoNames: Record<number, string> = { 1: 'EPERM', 13: 'EACCES', 38: 'ENOSYS' };

function holds(a: SeccompArg, args: bigint[]): boolean {
  const v = args[a.index] ?? 0n;
  const x = BigInt(a.value);
  switch (a.op) {
    case 'SCMP_CMP_EQ':
      return v === x;
    case 'SCMP_CMP_NE':
      return v !== x;
    case 'SCMP_CMP_LT':
      return v < x;
    case 'SCMP_CMP_LE':
      return v <= x;
    case 'SCMP_CMP_GT':
      return v > x;
    case 'SCMP_CMP_GE':
      return v >= x;
    case 'SCMP_CMP_MASKED_EQ':
      return (v & x) === BigInt(a.valueTwo ?? 0);
  }
  throw new Error(a.op);
}

/** What the profile does to a call: let it through (null), or the errno it answers. Rules apply in order; the first that matches wins. */
function decide(p: OciSeccomp, name: string, args: bigint[]): string | null {
  const rule = p.syscalls?.find((r) => r.names.includes(name) && (r.args ?? []).every((a) => holds(a, args)));
  const [action, errno] = rule ? [rule.action, rule.errnoRet] : [p.defaultAction, p.defaultErrnoRet];
  return action === 'SCMP_ACT_ALLOW' ? null : errnoNames[errno ?? 1];
}

async function probe(args: string[], opts: Partial<CreateOptions> = {}): Promise<Record<string, string>> {
  const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['/probe/probe', ...args], binds: [`${probeDir}:/probe:ro`], ...opts });
  const r = await collect(t.client, id);
  expect(r.stderr).toBe('');
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(' ')));
}

async function seccompMode(opts: Partial<CreateOptions>): Promise<string> {
  const r = await t.run(['sh', '-c', 'grep ^Seccomp: /proc/self/status'], { networkMode: 'none', ...opts });
  return r.stdout.trim().split(/\s+/)[1];
}

/** The probe under `opts`, beside the same probe without a filter: each call as the profile says. */
async function expectProfile(opts: Partial<CreateOptions>, capabilities: string[]) {
  const names = Object.keys(probes);
  const got = await probe(names, opts);
  const unfiltered = await probe(names, { ...opts, securityOpt: [...(opts.securityOpt ?? []), 'seccomp=unconfined'] });
  const profile = resolveProfile(dockerDefaultProfile, capabilities)!;
  const expected = Object.fromEntries(names.map((n) => [n, decide(profile, ...probes[n]) ?? unfiltered[n]]));
  expect(got).toEqual(expected);
  // The filter must have changed answers, or this test would pass without one.
  return names.filter((n) => got[n] !== unfiltered[n]);
}

describe("Docker's default seccomp profile", () => {
  it('is on in every container (Seccomp: 2), and unshare -U fails there as in Docker', async () => {
    expect(await seccompMode({})).toBe('2');
    const r = await t.run(['unshare', '-U', 'true'], { networkMode: 'none' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('Operation not permitted');
  });

  it('refuses each call the profile refuses, and only those', async () => {
    const changed = await expectProfile({}, defaultCapabilities);
    for (const n of ['mount', 'umount2', 'unshare-user', 'keyctl', 'add_key', 'bpf', 'clock_settime', 'setns', 'perf_event_open', 'clone-newuser', 'clone3', 'socket-vsock', 'personality-addr-no-randomize']) {
      expect(changed, n).toContain(n);
    }
  });

  it('lets CAP_SYS_ADMIN containers make namespaces and mounts, as its capability rules say', async () => {
    const changed = await expectProfile({ capAdd: ['SYS_ADMIN'] }, [...defaultCapabilities, 'CAP_SYS_ADMIN']);
    expect(changed).not.toContain('mount');
    expect(changed).not.toContain('clone-newuser');
    expect(changed).toContain('keyctl');
  });

  it('refuses chroot to a container without CAP_SYS_CHROOT', async () => {
    const changed = await expectProfile({ capDrop: ['SYS_CHROOT'] }, defaultCapabilities.filter((c) => c !== 'CAP_SYS_CHROOT'));
    expect(changed).toContain('chroot');
  });

  it('applies to a process exec’d into the container, and after no-new-privileges', async () => {
    const { id } = await t.client.call('container.create', {
      networkMode: 'none',
      image: t.image,
      cmd: ['sleep', '60'],
      binds: [`${probeDir}:/probe:ro`],
      securityOpt: ['no-new-privileges'],
    });
    await t.client.call('container.start', { id });
    const out = await t.exec(id, ['sh', '-c', 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; /probe/probe mount unshare-user getpid']);
    expect(out).toBe('NoNewPrivs:\t1\nSeccomp:\t2\nmount EPERM\nunshare-user EPERM\ngetpid ok\n');
    await t.client.call('container.remove', { id, force: true });
  });
});

describe('containers without the filter', () => {
  it('--privileged: no seccomp, every call answered as with all capabilities and no filter', async () => {
    expect(await seccompMode({ privileged: true })).toBe('0');
    const names = Object.keys(probes);
    expect(await probe(names, { privileged: true })).toEqual(await probe(names, { capAdd: ['ALL'], securityOpt: ['seccomp=unconfined'] }));
  });

  it('--security-opt seccomp=unconfined: no seccomp, and unshare -U works', async () => {
    expect(await seccompMode({ securityOpt: ['seccomp=unconfined'] })).toBe('0');
    expect((await t.run(['unshare', '-U', 'true'], { networkMode: 'none', securityOpt: ['seccomp=unconfined'] })).exitCode).toBe(0);
  });
});

describe('a profile of its own', () => {
  it('compares 64-bit arguments exactly as libseccomp does (EQ, NE, LT, LE, GT, GE, MASKED_EQ)', async () => {
    // Each comparison guards a call that takes a free 64-bit argument and a bad descriptor (EBADF when let through).
    const guarded: [string, number, string][] = [
      ['lseek', 1, 'SCMP_CMP_EQ'],
      ['pread64', 3, 'SCMP_CMP_NE'],
      ['pwrite64', 3, 'SCMP_CMP_LT'],
      ['ftruncate', 1, 'SCMP_CMP_LE'],
      ['fallocate', 2, 'SCMP_CMP_GT'],
      ['readahead', 1, 'SCMP_CMP_GE'],
      ['fadvise64', 2, 'SCMP_CMP_MASKED_EQ'],
    ];
    const threshold = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 + 5 }), fc.maxSafeInteger().filter((n) => n >= 0));
    const [thresholds] = fc.sample(fc.array(fc.tuple(threshold, threshold), { minLength: guarded.length, maxLength: guarded.length }), { numRuns: 1, seed: 12 });
    const args = guarded.map(([name, index, op], i) => ({ name, index, op, value: thresholds[i][0], valueTwo: op === 'SCMP_CMP_MASKED_EQ' ? thresholds[i][0] & 0xffff : 0 }));
    const profile = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: args.map((a) => ({ names: [a.name], action: 'SCMP_ACT_ERRNO', errnoRet: 13, args: [{ index: a.index, value: a.value, valueTwo: a.valueTwo, op: a.op }] })),
    };
    // Around each threshold, both words' edges, and the top of the range.
    const values = (x: bigint) => [x - 1n, x, x + 1n, 0n, 0xffffffffn, 0x100000000n, x | 0xffffffffn, x & ~0xffffffffn, (1n << 64n) - 1n].filter((v) => v >= 0n && v < 1n << 64n);
    const calls = args.flatMap((a) => values(BigInt(a.value)).map((v) => ({ a, v, token: `${a.name}=${v}` })));
    const got = await probe(
      calls.map((c) => c.token),
      { securityOpt: [`seccomp=${JSON.stringify(profile)}`] },
    );
    for (const { a, v, token } of calls) {
      const refused = holds({ index: 0, value: a.value, valueTwo: a.valueTwo, op: a.op }, [v]);
      expect(got[token] === 'EACCES', `${token} under ${a.op} ${a.value}`).toBe(refused);
    }
  });

  it('that names calls this kernel does not have still starts (they are skipped, as runc skips them)', async () => {
    const profile = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['no_such_call', 'mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] };
    const r = await t.run(['sh', '-c', 'mkdir /x'], { networkMode: 'none', securityOpt: [`seccomp=${JSON.stringify(profile)}`] });
    expect(r.stderr).toContain('Permission denied');
  });

  it('is refused at create with one line when it is not a profile, and nothing is made', async () => {
    const before = (await t.client.call('container.list', { all: true })).length;
    await expect(t.client.call('container.create', { networkMode: 'none', image: t.image, securityOpt: ['seccomp={"defaultAction": 5}'] })).rejects.toThrow(
      /^Decoding seccomp profile failed: profile.defaultAction must be a string$/,
    );
    expect((await t.client.call('container.list', { all: true })).length).toBe(before);
  });
});
