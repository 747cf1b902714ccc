// Strata's settings file, one for every concern, with the key names of
// Docker's daemon.json so a file can be copied across:
//
//   <configRoot>/strata/config.json     (configRoot: $STRATA_CONFIG_ROOT, default /etc)
//   {"insecure-registries": ["myhost:5000"], "registry-mirrors": [...],
//    "max-concurrent-downloads": 3, "default-address-pools": [...], ...}
//
// Each concern (registry/, network/...) reads its own keys through the typed
// accessors here, so a wrong value is one clear line naming the file and key.
// The file is read when asked (an operation sees it as it is when it starts).

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from './errors';

export interface StrataConfig {
  /** Where certs.d directories and strata/config.json are looked for. */
  readonly configRoot: string;
  /** The settings file (it may not exist). */
  readonly file: string;
  /** A key's raw value, undefined when unset. */
  raw(key: string): unknown;
  strings(key: string): string[];
  positiveInteger(key: string, fallback: number): number;
  /** A refusal naming the file and the key, for values a concern checks itself. */
  invalid(key: string, why: string): Error;
}

export function defaultConfigRoot(): string {
  return path.resolve(process.env.STRATA_CONFIG_ROOT ?? '/etc');
}

export function loadConfig(configRoot: string = defaultConfigRoot()): StrataConfig {
  const file = path.join(configRoot, 'strata', 'config.json');
  let values: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    values = parsed as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw invalidArgument(`invalid configuration file ${file}: ${(err as Error).message}`);
  }
  const invalid = (key: string, why: string) => invalidArgument(`invalid configuration file ${file}: ${key} ${why}`);
  const raw = (key: string) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined);
  return {
    configRoot,
    file,
    raw,
    invalid,
    strings(key) {
      const v = raw(key);
      if (v === undefined) return [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalid(key, 'must be a list of strings');
      return v as string[];
    },
    positiveInteger(key, fallback) {
      const v = raw(key);
      if (v === undefined) return fallback;
      if (!Number.isSafeInteger(v) || (v as number) < 1) throw invalid(key, 'must be a positive integer');
      return v as number;
    },
  };
}
