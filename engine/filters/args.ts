// Docker's filter arguments (api/types/filters): each key holds a set of
// values, and each list, prune and the event stream asks them the same few
// questions, with the same answers as dockerd: exact match, Go regular
// expression match (name, id), every KEY[=VALUE] present (label), and keys
// no request of that kind accepts refused. Requests in engine/api.ts carry
// them as `filters: { key: [values] }`.

import { invalidArgument } from '../errors';

export type FilterMap = Record<string, string[]>;

/** dockerd's invalidFilter: "Invalid filter 'key'" or "Invalid filter 'key=value'" (value as Go's %s prints it). */
export function invalidFilter(key: string, value?: string | string[]): Error {
  const shown = value === undefined ? '' : `=${Array.isArray(value) ? `[${value.join(' ')}]` : value}`;
  return invalidArgument(`Invalid filter '${key}${shown}'`);
}

/**
 * A Go regular expression as JavaScript runs one, or undefined when it has
 * no JavaScript equal (Go skips a value whose pattern does not compile).
 */
function goRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'));
  } catch {
    return undefined;
  }
}

export class FilterArgs {
  private readonly fields: Map<string, Set<string>>;

  constructor(map: FilterMap = {}) {
    this.fields = new Map(Object.entries(map).map(([k, v]) => [k, new Set(v)]));
  }

  /** Refuses a key the request does not know, as Args.Validate. */
  validate(accepted: readonly string[]): this {
    for (const key of this.fields.keys()) if (!accepted.includes(key)) throw invalidFilter(key);
    return this;
  }

  contains(key: string): boolean {
    return this.fields.has(key);
  }

  get(key: string): string[] {
    return [...(this.fields.get(key) ?? [])];
  }

  /** True when no value is set for `key`, or one equals `source`. */
  exactMatch(key: string, source: string): boolean {
    const values = this.fields.get(key);
    return !values || values.size === 0 || values.has(source);
  }

  /** exactMatch, or one of the values, as a regular expression, matches somewhere in `source`. */
  match(key: string, source: string): boolean {
    if (this.exactMatch(key, source)) return true;
    for (const value of this.fields.get(key) ?? []) if (goRegExp(value)?.test(source)) return true;
    return false;
  }

  /** Every value KEY or KEY=VALUE is among `sources` (true when there is none). */
  matchKVList(key: string, sources: Record<string, string> | null | undefined): boolean {
    const values = this.fields.get(key);
    if (!values || values.size === 0) return true;
    if (!sources || Object.keys(sources).length === 0) return false;
    for (const value of values) {
      const eq = value.indexOf('=');
      const name = eq < 0 ? value : value.slice(0, eq);
      if (!Object.prototype.hasOwnProperty.call(sources, name)) return false;
      if (eq >= 0 && sources[name] !== value.slice(eq + 1)) return false;
    }
    return true;
  }

  /** Prune's label rules: every `label` present, and not all of `label!` (dockerd's matchLabels). */
  matchLabels(labels: Record<string, string> | null | undefined): boolean {
    if (!this.matchKVList('label', labels)) return false;
    return !(this.contains('label!') && this.matchKVList('label!', labels));
  }
}
