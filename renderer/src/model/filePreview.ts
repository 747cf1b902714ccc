// How the first bytes of a file are shown: as text when they read as text
// (UTF-8 without control characters beyond tabs and line ends), otherwise as
// a hex dump, with what the magic number says it is when it says anything.

export type Preview = { kind: 'text'; text: string } | { kind: 'binary'; what?: string; hex: string[] };

const magics: Array<[number[], string]> = [
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF program or library'],
  [[0x1f, 0x8b], 'gzip-compressed data'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive'],
];

export function preview(bytes: Uint8Array, hexLines = 16): Preview {
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // A preview may end inside a multi-byte character: drop up to 3 trailing bytes and try again.
    for (let cut = 1; cut <= 3 && text === undefined && bytes.length > cut; cut++) {
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cut));
      } catch {
        // not text
      }
    }
  }
  // eslint-disable-next-line no-control-regex
  if (text !== undefined && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return { kind: 'text', text };
  const what = magics.find(([m]) => m.every((b, i) => bytes[i] === b))?.[1];
  const hex: string[] = [];
  for (let off = 0; off < Math.min(bytes.length, hexLines * 16); off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hexPart = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    hex.push(`${off.toString(16).padStart(8, '0')}  ${hexPart.padEnd(47)}  ${ascii}`);
  }
  return what ? { kind: 'binary', what, hex } : { kind: 'binary', hex };
}

/** st_mode's permission bits as `ls -l` writes them: "rwxr-xr-x", with s/t for setuid, setgid, sticky. */
export function permissions(mode: number): string {
  const bit = (b: number, c: string) => (mode & b ? c : '-');
  const chars = [bit(0o400, 'r'), bit(0o200, 'w'), bit(0o100, 'x'), bit(0o40, 'r'), bit(0o20, 'w'), bit(0o10, 'x'), bit(0o4, 'r'), bit(0o2, 'w'), bit(0o1, 'x')];
  if (mode & 0o4000) chars[2] = mode & 0o100 ? 's' : 'S';
  if (mode & 0o2000) chars[5] = mode & 0o10 ? 's' : 'S';
  if (mode & 0o1000) chars[8] = mode & 0o1 ? 't' : 'T';
  return chars.join('');
}
