// The image config (OCI application/vnd.oci.image.config.v1+json, with the
// fields Docker adds: comment, Healthcheck, OnBuild, Shell). An image's id is
// the digest of these bytes, so a config the engine writes is serialized in
// one stable way: the same config always gives the same bytes and the same id.
// Configs that arrive from elsewhere (load) keep their own bytes.

import type { HealthConfig, ImageRunConfig } from '../inspect';

export type { HealthConfig } from '../inspect';
import { invalidArgument } from '../errors';
import { isDigest } from './digest';


export interface RunConfig extends ImageRunConfig {
  Healthcheck?: HealthConfig;
  ArgsEscaped?: boolean;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface OciImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  /** Docker's top-level comment (`docker inspect` .Comment); commit and import set it. */
  comment?: string;
  config?: RunConfig;
  /** What a build step ran with (its Cmd records the step); the classic build cache compares it. */
  container_config?: RunConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

// ------------------------------------------------------------ serialization

interface KeyOrder {
  keys?: readonly string[]; // listed keys first, in this order; the rest sorted
  fields?: Record<string, KeyOrder>;
  items?: KeyOrder;
}

const runConfigOrder: KeyOrder = {
  keys: ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Healthcheck', 'ArgsEscaped', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'OnBuild', 'Shell'],
  fields: { Healthcheck: { keys: ['Test', 'Interval', 'Timeout', 'StartPeriod', 'Retries'] } },
};

// Top level sorted (as Docker writes it); nested objects in the OCI structs' field order.
const configOrder: KeyOrder = {
  fields: {
    config: runConfigOrder,
    container_config: runConfigOrder,
    rootfs: { keys: ['type', 'diff_ids'] },
    history: { items: { keys: ['created', 'created_by', 'author', 'comment', 'empty_layer'] } },
  },
};

function compareKeys(order: readonly string[] | undefined) {
  const rank = (k: string) => {
    const i = order ? order.indexOf(k) : -1;
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

// JSON.stringify would put integer-like keys first whatever the order asked for.
function emit(value: unknown, order: KeyOrder | undefined): string {
  if (Array.isArray(value)) return `[${value.map((v) => emit(v, order?.items)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort(compareKeys(order?.keys));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${emit(obj[k], order?.fields?.[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The config's canonical bytes: its image id is their digest. */
export function serializeConfig(config: OciImageConfig): Buffer {
  return Buffer.from(emit(config, configOrder));
}

/** Parses and checks a config from bytes (a blob, a loaded archive). */
export function parseImageConfig(bytes: Uint8Array | string): OciImageConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw invalidArgument(`invalid image config: ${(err as Error).message}`);
  }
  const fail = (why: string): never => {
    throw invalidArgument(`invalid image config: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('not a JSON object');
  const c = raw as Record<string, unknown>;
  const rootfs = c.rootfs as Record<string, unknown> | undefined;
  if (typeof rootfs !== 'object' || rootfs === null || rootfs.type !== 'layers') fail('rootfs.type must be "layers"');
  const diffIds = rootfs!.diff_ids ?? [];
  if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string' && isDigest(d))) {
    fail('rootfs.diff_ids must be sha256 digests');
  }
  for (const key of ['architecture', 'os', 'created', 'author', 'comment'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') fail(`${key} must be a string`);
  }
  if (typeof c.created === 'string') parseTimestamp(c.created);
  if (c.config !== undefined && c.config !== null && (typeof c.config !== 'object' || Array.isArray(c.config))) {
    fail('config must be an object');
  }
  const history = c.history ?? [];
  if (!Array.isArray(history) || !history.every((h) => typeof h === 'object' && h !== null)) fail('history must be a list');
  // Docker's rule: history may describe fewer layers than rootfs has (old images), never more.
  const layered = (history as HistoryEntry[]).filter((h) => !h.empty_layer).length;
  if (layered > (diffIds as string[]).length) fail('too many non-empty layers in History section');
  const config = raw as OciImageConfig;
  if (config.rootfs.diff_ids === undefined) config.rootfs.diff_ids = [];
  return config;
}

// --------------------------------------------------------------------- time

/** Go's RFC3339Nano form of a time in milliseconds: "2024-05-01T10:00:00.123Z", fraction trimmed. */
export function formatTimestamp(ms: number): string {
  const [whole, fraction] = new Date(ms).toISOString().slice(0, -1).split('.'); // always .sssZ
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed ? `${whole}.${trimmed}Z` : `${whole}Z`;
}

const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Unix nanoseconds of an RFC 3339 time, as configs carry it. */
export function parseTimestamp(text: string): bigint {
  const m = timestampPattern.exec(text);
  if (!m) throw invalidArgument(`invalid time ${JSON.stringify(text)}: not RFC 3339`);
  const [, y, mo, d, h, mi, s, frac = '', , sign, oh, om] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (Number.isNaN(ms)) throw invalidArgument(`invalid time ${JSON.stringify(text)}`);
  if (sign) ms -= (sign === '-' ? -1 : 1) * (+oh * 60 + +om) * 60_000;
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
}

// ----------------------------------------------------------------- platform

const goArch: Partial<Record<NodeJS.Architecture, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le', // Node reports little-endian ppc64 (the one Linux distributions ship) as ppc64
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** This machine's architecture in Go's (and so OCI's) names. */
export function hostArchitecture(): string {
  return goArch[process.arch] ?? process.arch;
}
