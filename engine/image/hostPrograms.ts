// This machine's own programs, with exactly the shared libraries and the
// dynamic loader they need, found the way ld.so finds them: the object's
// RUNPATH, the directories of /etc/ld.so.conf, then the system defaults. A
// library only counts if its ELF class and machine match the program's.

import fs from 'node:fs';
import path from 'node:path';
import { parseElf, type ElfInfo } from './elf';

const defaultLibraryDirs = ['/lib64', '/usr/lib64', '/lib', '/usr/lib'];

/** A host file and where it goes in the image. */
export interface HostFile {
  imagePath: string; // absolute path in the image
  hostPath: string; // real path on the host (symlinks resolved)
  mode: number;
}

/**
 * The named programs found in these directories, first match first (each as
 * /bin/<name> in the image), then every library and loader they need. Names
 * not found, and programs that are not ELF executables (scripts), are left out.
 */
export function collectHostPrograms(
  names: readonly string[],
  programDirs: readonly string[],
): { programs: HostFile[]; libraries: HostFile[] } {
  const programs: HostFile[] = [];
  const libraries = new Map<string, HostFile>();
  const searchDirs = [...ldSoConfDirs('/etc/ld.so.conf', new Set()), ...defaultLibraryDirs];
  const queue: Array<{ elf: ElfInfo; hostPath: string }> = [];

  for (const name of names) {
    const found = programDirs.map((d) => path.join(d, name)).find((p) => isRegularFile(p));
    if (!found) continue;
    const hostPath = fs.realpathSync(found);
    const elf = parseElf(fs.readFileSync(hostPath));
    if (!elf) continue;
    programs.push({ imagePath: `/bin/${name}`, hostPath, mode: fs.statSync(hostPath).mode & 0o777 });
    queue.push({ elf, hostPath });
  }

  const add = (imagePath: string, hostFile: string): ElfInfo | null => {
    if (libraries.has(imagePath)) return null;
    const hostPath = fs.realpathSync(hostFile);
    libraries.set(imagePath, { imagePath, hostPath, mode: fs.statSync(hostPath).mode & 0o777 });
    return parseElf(fs.readFileSync(hostPath));
  };
  while (queue.length > 0) {
    const { elf, hostPath } = queue.shift()!;
    if (elf.interpreter && isRegularFile(elf.interpreter)) add(elf.interpreter, elf.interpreter);
    const origin = path.dirname(hostPath);
    const dirs = [...elf.runpath.map((d) => d.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin)), ...searchDirs];
    for (const soname of elf.needed) {
      const lib = findLibrary(soname, dirs, elf);
      if (!lib) throw new Error(`${hostPath} needs ${soname}, which is not on this machine`);
      const libElf = add(lib, lib);
      if (libElf) queue.push({ elf: libElf, hostPath: fs.realpathSync(lib) });
    }
  }
  return { programs, libraries: [...libraries.values()] };
}

function findLibrary(soname: string, dirs: readonly string[], wanted: ElfInfo): string | undefined {
  for (const dir of dirs) {
    const candidate = path.join(dir, soname);
    if (!isRegularFile(candidate)) continue;
    const elf = parseElf(fs.readFileSync(candidate));
    if (elf && elf.bits === wanted.bits && elf.machine === wanted.machine) return candidate;
  }
  return undefined;
}

/** The library directories /etc/ld.so.conf lists, following `include` globs. */
function ldSoConfDirs(file: string, seen: Set<string>): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line || line.startsWith('hwcap ')) continue;
    const include = /^include\s+(.+)$/.exec(line);
    if (!include) {
      dirs.push(line);
      continue;
    }
    for (const pattern of include[1].split(/\s+/)) {
      for (const conf of expandGlob(path.resolve(path.dirname(file), pattern))) dirs.push(...ldSoConfDirs(conf, seen));
    }
  }
  return dirs;
}

/** A glob with wildcards in its last component only, as ld.so.conf uses them. */
function expandGlob(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => re.test(n))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
