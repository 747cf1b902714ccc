import { describe, expect, it } from 'vitest';
import { permissions, preview } from './filePreview';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('file preview', () => {
  it('shows text as text, even when the preview cuts a character in two', () => {
    expect(preview(bytes('joy\n'))).toEqual({ kind: 'text', text: 'joy\n' });
    const cut = bytes('café').subarray(0, 4); // the é's second byte is past the preview
    expect(preview(cut)).toEqual({ kind: 'text', text: 'caf' });
  });
  it('shows a binary as hex, saying what its magic number is', () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
    const p = preview(elf);
    expect(p).toMatchObject({ kind: 'binary', what: 'an ELF program or library' });
    expect(p.kind === 'binary' && p.hex[0]).toBe('00000000  7f 45 4c 46 02 01 01 00 00 00 00 00 00 00 00 00  .ELF............');
    expect(preview(new Uint8Array([0, 1, 2]))).toEqual({ kind: 'binary', hex: [`00000000  ${'00 01 02'.padEnd(47)}  ...`] });
  });
  it('writes permission bits as ls -l does', () => {
    expect(permissions(0o100755)).toBe('rwxr-xr-x');
    expect(permissions(0o104755)).toBe('rwsr-xr-x');
    expect(permissions(0o41777)).toBe('rwxrwxrwt');
  });
});
