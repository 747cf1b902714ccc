// Just enough of the ELF format to copy a program into an image: whether it
// is static (no PT_INTERP), which dynamic loader it asks for, and which
// shared libraries it needs (DT_NEEDED, found through DT_STRTAB), plus the
// class and machine a library must match to be loadable with it.

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

export interface ElfInfo {
  bits: 32 | 64;
  machine: number; // e_machine: 62 x86-64, 183 aarch64, ...
  interpreter?: string; // PT_INTERP: absent for a static program
  needed: string[]; // DT_NEEDED sonames
  runpath: string[]; // DT_RUNPATH, else DT_RPATH, split on ':'
}

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** Reads an ELF file's header, segments and dynamic section; null when `buf` is not ELF. */
export function parseElf(buf: Buffer): ElfInfo | null {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return null;
  const bits = buf[4] === 2 ? 64 : buf[4] === 1 ? 32 : null;
  const little = buf[5] === 1;
  if (bits === null || (buf[5] !== 1 && buf[5] !== 2)) return null;
  const u16 = (o: number) => (little ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number) => (little ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  const word = (o: number) => (bits === 64 ? Number(u64(o)) : u32(o));

  const machine = u16(18);
  const phoff = word(bits === 64 ? 32 : 28);
  const phentsize = u16(bits === 64 ? 54 : 42);
  const phnum = u16(bits === 64 ? 56 : 44);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (p + phentsize > buf.length) return null;
    segments.push(
      bits === 64
        ? { type: u32(p), offset: word(p + 8), vaddr: word(p + 16), filesz: word(p + 32) }
        : { type: u32(p), offset: u32(p + 4), vaddr: u32(p + 8), filesz: u32(p + 16) },
    );
  }

  const cString = (offset: number) => {
    const end = buf.indexOf(0, offset);
    return buf.toString('latin1', offset, end === -1 ? buf.length : end);
  };
  const interp = segments.find((s) => s.type === PT_INTERP);
  const info: ElfInfo = { bits, machine, needed: [], runpath: [] };
  if (interp) info.interpreter = cString(interp.offset);

  const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dynamic) return info;
  // The dynamic section names its string table by address; map it to a file offset through PT_LOAD.
  const fileOffset = (addr: number) => {
    const load = segments.find((s) => s.type === PT_LOAD && addr >= s.vaddr && addr < s.vaddr + s.filesz);
    return load ? addr - load.vaddr + load.offset : undefined;
  };
  const entSize = bits === 64 ? 16 : 8;
  const entries: Array<[bigint, number]> = [];
  for (let o = dynamic.offset; o + entSize <= dynamic.offset + dynamic.filesz && o + entSize <= buf.length; o += entSize) {
    const tag = bits === 64 ? u64(o) : BigInt(u32(o));
    if (tag === DT_NULL) break;
    entries.push([tag, word(o + entSize / 2)]);
  }
  const strtabAddr = entries.find(([t]) => t === DT_STRTAB)?.[1];
  const strtab = strtabAddr === undefined ? undefined : fileOffset(strtabAddr);
  if (strtab === undefined) return info;
  info.needed = entries.filter(([t]) => t === DT_NEEDED).map(([, v]) => cString(strtab + v));
  const runpath = entries.find(([t]) => t === DT_RUNPATH) ?? entries.find(([t]) => t === DT_RPATH);
  if (runpath) info.runpath = cString(strtab + runpath[1]).split(':').filter(Boolean);
  return info;
}
