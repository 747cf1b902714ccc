// Reading Docker's query strings as moby's httputils does: booleans where
// "", "0", "no", "false" and "none" are false; integers that must parse;
// and filters, a JSON object of name → values (or the older name → {value:
// true} form).

import { badRequest } from './errors';

const falseWords = new Set(['', '0', 'no', 'false', 'none']);

export function boolParam(query: URLSearchParams, name: string, fallback = false): boolean {
  const v = query.get(name);
  if (v === null) return fallback;
  return !falseWords.has(v.trim().toLowerCase());
}

export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw badRequest(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

export type Filters = Map<string, string[]>;

export function parseFilters(text: string | null): Filters {
  const filters: Filters = new Map();
  if (text === null || text === '') return filters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badRequest(`invalid filter: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('invalid filter: expected a JSON object');
  for (const [name, values] of Object.entries(parsed)) {
    if (Array.isArray(values)) filters.set(name, values.map(String));
    else if (typeof values === 'object' && values !== null) filters.set(name, Object.keys(values).filter((k) => (values as Record<string, unknown>)[k]));
    else throw badRequest(`invalid filter: ${name} must be a list of values`);
  }
  return filters;
}

/** Refuses a filter name the endpoint does not know, as moby does. */
export function checkFilterNames(filters: Filters, known: readonly string[]): void {
  for (const name of filters.keys()) if (!known.includes(name)) throw badRequest(`invalid filter '${name}'`);
}

/** `label=key` (present) or `label=key=value` (equal), every one of them holding. */
export function labelsMatch(labels: Record<string, string> | null | undefined, wanted: readonly string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    const key = eq < 0 ? w : w.slice(0, eq);
    if (!labels || !(key in labels)) return false;
    return eq < 0 || labels[key] === w.slice(eq + 1);
  });
}
