import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseElf } from './elf';

describe('parseElf', () => {
  it('finds the loader and the libraries ldd reports for a dynamic program', () => {
    const elf = parseElf(fs.readFileSync('/usr/bin/ls'))!;
    // ldd prints "libc.so.6 => /lib/.../libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)".
    const ldd = execFileSync('ldd', ['/usr/bin/ls'], { encoding: 'utf8' });
    const direct = [...ldd.matchAll(/^\s*(\S+) =>/gm)].map((m) => m[1]);
    expect(elf.interpreter).toBe(/^\s*(\/\S+) \(0x/m.exec(ldd)![1]);
    for (const lib of elf.needed) expect(direct).toContain(lib);
    expect(elf.needed).toContain('libc.so.6');
    if (process.arch === 'x64' || process.arch === 'arm64') expect(elf.bits).toBe(64);
  });

  // Debian's busybox-static (a test dependency: scripts/test-deps) is a static program.
  it('sees no interpreter in a static program', () => {
    expect(parseElf(fs.readFileSync('/bin/busybox'))!.interpreter).toBeUndefined();
  });

  it('returns null for what is not ELF, or is cut short', () => {
    expect(parseElf(fs.readFileSync('/etc/passwd'))).toBeNull();
    expect(parseElf(Buffer.from('#!/bin/sh\necho hi\n'))).toBeNull();
    expect(parseElf(fs.readFileSync('/usr/bin/ls').subarray(0, 64))).toBeNull();
  });
});
