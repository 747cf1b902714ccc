// The container's log driver, as the monitor writes it and `logs` reads it:
// json-file (containers/<id>/log.json), local (containers/<id>/local-logs/
// container.log, protobuf entries framed by their length) or none; rotated
// at max-size into FILE.1 ... FILE.<max-file - 1>, gzip-compressed with
// compress. The monitor learns the settings from the spec's annotations.

import fs from 'node:fs';
import path from 'node:path';
import type { LogLine } from '../api';
import { unavailable } from '../errors';
import { fromHumanSize } from '../humanize';
import type { ContainerRow, LogConfig } from '../store/containers';
import type { RuntimeContext } from './context';

const defaultConfig: LogConfig = { Type: 'json-file', Config: {} };

export function logConfigOf(row: ContainerRow): LogConfig {
  return row.spec.HostConfig.LogConfig ?? defaultConfig;
}

/** The file the monitor writes, or undefined for the none driver. */
export function logFileOf(ctx: RuntimeContext, row: ContainerRow): string | undefined {
  const { Type } = logConfigOf(row);
  const dir = ctx.paths.containerDir(row.id);
  if (Type === 'none') return undefined;
  if (Type === 'local') return path.join(dir, 'local-logs', 'container.log');
  return path.join(dir, 'log.json');
}

/** Docker's ExtraAttributes: the labels and env values log-opt labels, labels-regex, env, env-regex name. */
function extraAttributes(row: ContainerRow, config: Record<string, string>): Record<string, string> {
  const labels = row.spec.Config.Labels ?? {};
  const env = new Map(row.spec.Config.Env.filter((e) => e.includes('=')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const));
  const attrs: Record<string, string> = {};
  for (const name of (config.labels ?? '').split(',')) if (name && name in labels) attrs[name] = labels[name];
  if (config['labels-regex'] && config.labels) for (const [k, v] of Object.entries(labels)) if (new RegExp(config['labels-regex']).test(k)) attrs[k] = v;
  for (const name of (config.env ?? '').split(',')) if (name && env.has(name)) attrs[name] = env.get(name)!;
  if (config['env-regex']) for (const [k, v] of env) if (new RegExp(config['env-regex']).test(k)) attrs[k] = v;
  return Object.fromEntries(Object.keys(attrs).sort().map((k) => [k, attrs[k]]));
}

/** The spec annotations that tell the monitor how to write the log. */
export function logAnnotations(row: ContainerRow): Record<string, string> {
  const { Type, Config } = logConfigOf(row);
  const out: Record<string, string> = { 'org.strata.log.format': Type };
  if (Config['max-size']) out['org.strata.log.max-size'] = String(fromHumanSize(Config['max-size']));
  if (Config['max-file']) out['org.strata.log.max-file'] = Config['max-file'];
  if (Config.compress !== undefined) out['org.strata.log.compress'] = String(['1', 't', 'T', 'true', 'TRUE', 'True'].includes(Config.compress));
  const attrs = Type === 'json-file' ? extraAttributes(row, Config) : {};
  if (Object.keys(attrs).length > 0) out['org.strata.log.attrs'] = JSON.stringify(attrs);
  return out;
}

/** The rotated files, oldest first, then the one being written. */
export function logFiles(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const rotated = names
    .map((n) => ({ n, m: new RegExp(`^${base.replace(/\./g, '\\.')}\\.(\\d+)(\\.gz)?$`).exec(n) }))
    .filter((x) => x.m)
    .sort((a, b) => Number(b.m![1]) - Number(a.m![1]))
    .map((x) => path.join(dir, x.n));
  return [...rotated, ...(names.includes(base) ? [file] : [])];
}

export interface LogRecord extends LogLine {
  attrs?: Record<string, string>;
}

/** Decodes json-file lines; the last, unfinished line (still being written) is returned as the rest. */
export function decodeJsonLog(text: string): { records: LogRecord[]; rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  const records: LogRecord[] = [];
  for (const l of lines) {
    try {
      const e = JSON.parse(l) as { log: string; stream: 'stdout' | 'stderr'; time: string; attrs?: Record<string, string> };
      records.push({ stream: e.stream, time: e.time, data: Buffer.from(e.log, 'utf8'), ...(e.attrs ? { attrs: e.attrs } : {}) });
    } catch {
      // a line cut short by a crash or a full disk: the rest is still worth reading
    }
  }
  return { records, rest };
}

function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 1;
  let i = at;
  for (;;) {
    const b = buf[i++];
    value += (b & 0x7f) * shift;
    shift *= 128;
    if (!(b & 0x80)) return [value, i];
  }
}

const rfc3339Nano = (nanos: bigint) => {
  const ms = Number(nanos / 1_000_000n);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${(nanos % 1_000_000_000n).toString().padStart(9, '0')}Z`);
};

/** Decodes local-driver frames; an unfinished frame at the end is returned as the rest. */
export function decodeLocalLog(buf: Buffer): { records: LogRecord[]; rest: Buffer } {
  const records: LogRecord[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at);
    if (at + 8 + size > buf.length) break;
    const msg = buf.subarray(at + 4, at + 4 + size);
    let stream: 'stdout' | 'stderr' = 'stdout';
    let time = 0n;
    let line: Buffer = Buffer.alloc(0);
    let partial = false;
    for (let i = 0; i < msg.length; ) {
      const [key, next] = readVarint(msg, i);
      i = next;
      const field = key >> 3;
      if ((key & 7) === 2) {
        const [len, start] = readVarint(msg, i);
        const bytes = msg.subarray(start, start + len);
        if (field === 1) stream = bytes.toString() === 'stderr' ? 'stderr' : 'stdout';
        if (field === 3) line = bytes;
        i = start + len;
      } else {
        let value = 0n;
        let shift = 0n;
        let b: number;
        do {
          b = msg[i++];
          value |= BigInt(b & 0x7f) << shift;
          shift += 7n;
        } while (b & 0x80);
        if (field === 2) time = value;
        if (field === 4) partial = value !== 0n;
      }
    }
    records.push({ stream, time: rfc3339Nano(time), data: partial ? Buffer.from(line) : Buffer.concat([line, Buffer.from('\n')]) });
    at += 8 + size;
  }
  return { records, rest: buf.subarray(at) };
}

/** Every record in the log's files, oldest first. */
export function readLogRecords(ctx: RuntimeContext, row: ContainerRow): LogRecord[] {
  const file = logFileOf(ctx, row);
  if (!file) throw unavailable('configured logging driver does not support reading');
  const local = logConfigOf(row).Type === 'local';
  const records: LogRecord[] = [];
  for (const f of logFiles(file)) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(f);
    } catch {
      continue; // rotated away meanwhile
    }
    // zlib is loaded only for a compressed file (every start loads this module).
    if (f.endsWith('.gz')) bytes = (require('node:zlib') as typeof import('node:zlib')).gunzipSync(bytes);
    records.push(...(local ? decodeLocalLog(bytes).records : decodeJsonLog(bytes.toString('utf8')).records));
  }
  return records;
}
