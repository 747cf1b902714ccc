// The ways to ask for a mount, read as Docker reads them: `-v` (the daemon's
// Linux parser: SRC:DST[:MODE], an absolute SRC binds a host path, any other
// names a volume, a lone DST is an anonymous volume), `--mount` (the CLI's
// CSV of key=value fields) and `--tmpfs DST[:OPTIONS]`. Pure, so the CLI and
// the app's dialog say the same thing the engine does.

import type { MountOptions } from '../api';
import { invalidArgument } from '../errors';

/** Docker's rule for volume names: two or more characters, letters and digits first. */
export const volumeNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export interface VolumeFlag {
  type: 'bind' | 'volume';
  /** A bind's host path, a volume's name, '' for a new anonymous volume. */
  source: string;
  destination: string;
  readOnly: boolean;
  noCopy: boolean;
  /** What followed the paths, as Docker keeps it (Mode). */
  mode: string;
}

const modeKinds: Record<string, string> = {
  rw: 'rw',
  ro: 'rw',
  z: 'label',
  Z: 'label',
  shared: 'propagation',
  rshared: 'propagation',
  slave: 'propagation',
  rslave: 'propagation',
  private: 'propagation',
  rprivate: 'propagation',
  nocopy: 'copy',
  consistent: 'consistency',
  cached: 'consistency',
  delegated: 'consistency',
};

/** Each kind of mode at most once ("rw,ro" is not a mode), nocopy only for volumes. */
function checkMode(mode: string, type: VolumeFlag['type']): string[] {
  const modes = mode === '' ? [] : mode.split(',');
  const seen = new Set<string>();
  for (const m of modes) {
    const kind = modeKinds[m];
    if (!kind || seen.has(kind) || (kind === 'copy' && type === 'bind')) throw invalidArgument(`invalid mode: ${mode}`);
    seen.add(kind);
  }
  return modes;
}

export function checkDestination(spec: string, type: string, destination: string): string {
  if (!destination.startsWith('/')) {
    throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "${type}": invalid mount path: '${destination}' mount path must be absolute`);
  }
  const clean = normalize(destination);
  if (clean === '/') throw invalidArgument(`invalid volume specification: '${spec}': invalid mount config for type "${type}": invalid specification: destination can't be '/'`);
  return clean;
}

export function checkVolumeName(name: string): string {
  if (!volumeNamePattern.test(name)) {
    throw invalidArgument(
      `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
  return name;
}

/** A clean absolute path: no '.', '..' beyond the root, doubled or trailing slashes. */
export function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** One -v value. */
export function parseVolumeFlag(spec: string): VolumeFlag {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((p, i) => p === '' && !(i === 2))) throw invalidArgument(`invalid volume specification: '${spec}'`);
  if (parts.length === 1) {
    return { type: 'volume', source: '', destination: checkDestination(spec, 'volume', parts[0]), readOnly: false, noCopy: false, mode: '' };
  }
  const [source, destination, mode = ''] = parts;
  // "/dst:ro": a mode after a lone destination is not a volume.
  if (parts.length === 2 && modeKinds[destination] !== undefined) throw invalidArgument(`invalid volume specification: '${spec}'`);
  const type = source.startsWith('/') ? 'bind' : 'volume';
  if (type === 'volume') checkVolumeName(source);
  const modes = checkMode(mode, type);
  return {
    type,
    source: type === 'bind' ? normalize(source) : source,
    destination: checkDestination(spec, type, destination),
    readOnly: modes.includes('ro'),
    noCopy: modes.includes('nocopy'),
    mode,
  };
}

/** encoding/csv's reading of one line: commas split fields, double quotes protect them. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) throw invalidArgument(`invalid --mount: ${line}: extraneous or missing " in quoted-field`);
  fields.push(field);
  return fields;
}

function parseBool(key: string, value: string | undefined): boolean {
  if (value === undefined) return true;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw invalidArgument(`invalid value for ${key}: ${value}`);
}

/** "64m", "1g", "512": bytes, as go-units RAMInBytes reads them. */
export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(text.trim());
  if (!m) throw invalidArgument(`invalid size: '${text}'`);
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 }[m[2].toLowerCase()]!;
  return Math.floor(Number(m[1]) * unit);
}

/** One --mount value, as the docker CLI reads it (the type defaults to volume). */
export function parseMountFlag(value: string): MountOptions {
  let type = 'volume';
  let source: string | undefined;
  let target: string | undefined;
  const m: Partial<MountOptions> = {};
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase().trim();
    const val = eq < 0 ? undefined : field.slice(eq + 1);
    const need = () => {
      if (val === undefined) throw invalidArgument(`invalid field '${field}' must be a key=value pair`);
      return val;
    };
    switch (key) {
      case 'type':
        type = need().toLowerCase();
        break;
      case 'source':
      case 'src':
        source = need();
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = need();
        break;
      case 'readonly':
      case 'ro':
        m.readOnly = parseBool(key, val);
        break;
      case 'volume-nocopy':
        m.noCopy = parseBool(key, val);
        break;
      case 'volume-label': {
        const label = need();
        const at = label.indexOf('=');
        (m.volumeLabels ??= {})[at < 0 ? label : label.slice(0, at)] = at < 0 ? '' : label.slice(at + 1);
        break;
      }
      case 'tmpfs-size':
        m.tmpfsSize = parseBytes(need());
        break;
      case 'tmpfs-mode': {
        const mode = need();
        if (!/^[0-7]{1,4}$/.test(mode)) throw invalidArgument(`invalid value for ${key}: ${mode}`);
        m.tmpfsMode = Number.parseInt(mode, 8);
        break;
      }
      case 'bind-propagation':
      case 'consistency':
        need();
        break;
      default:
        throw invalidArgument(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw invalidArgument(`invalid mount config for type "${type}": mount type unknown`);
  if (!target) throw invalidArgument('target is required');
  return { ...m, type, target, ...(source !== undefined ? { source } : {}) };
}

/** One --tmpfs value: "/run" or "/run:size=64m,mode=1777". */
export function parseTmpfsFlag(value: string): [string, string] {
  const colon = value.indexOf(':');
  const destination = colon < 0 ? value : value.slice(0, colon);
  if (!destination.startsWith('/')) throw invalidArgument(`invalid mount path: '${destination}' mount path must be absolute`);
  return [destination, colon < 0 ? '' : value.slice(colon + 1)];
}

const tmpfsFlags = new Set(['rw', 'ro', 'exec', 'noexec', 'suid', 'nosuid', 'dev', 'nodev', 'atime', 'noatime', 'diratime', 'nodiratime', 'relatime', 'strictatime']);

/** tmpfs options as the kernel takes them; Docker's defaults first (rw,nosuid,nodev,noexec). */
export function tmpfsOptions(spec: string): string[] {
  const options = ['rw', 'nosuid', 'nodev', 'noexec'];
  for (const o of spec === '' ? [] : spec.split(',')) {
    const [key, val] = o.split('=', 2);
    if (val === undefined && tmpfsFlags.has(key)) options.push(key);
    else if (key === 'size' && val !== undefined && /^\d+[kmg%]?$/i.test(val)) options.push(o);
    else if (key === 'mode' && val !== undefined && /^[0-7]{1,4}$/.test(val)) options.push(o);
    else if ((key === 'uid' || key === 'gid' || key === 'nr_inodes') && val !== undefined && /^\d+$/.test(val)) options.push(o);
    else throw invalidArgument(`invalid tmpfs option ${JSON.stringify(o)}`);
  }
  return options;
}
