// A small runtime schema with static types, so engine/api.ts states each
// request's argument once and the dispatcher can check what arrives from the
// renderer, the websocket or the CLI before the engine sees it. Loading it
// costs nothing measurable, which matters for the CLI's start-up budget.

import { invalidArgument } from '../errors';

export interface Schema<T> {
  readonly kind: string;
  readonly isOptional: boolean;
  parse(value: unknown, path: string): T;
  /** What it is made of, for tools that walk the contract (the hostile-input tests generate arguments from it). */
  readonly parts?: SchemaParts;
}

export interface SchemaParts {
  /** An object's fields. */
  readonly shape?: Readonly<Record<string, Schema<unknown>>>;
  /** An array's or a record's items. */
  readonly item?: Schema<unknown>;
  /** A literal's values. */
  readonly values?: readonly (string | number)[];
  /** What a nullable holds when it is not null. */
  readonly nullable?: Schema<unknown>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['isOptional'] extends true ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type InferShape<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw invalidArgument(`invalid argument ${path || 'value'}: expected ${expected}, got ${got}`);
}

function make<T>(kind: string, parse: (v: unknown, path: string) => T, parts?: SchemaParts): Schema<T> & { isOptional: false } {
  return { kind, isOptional: false, parse, parts };
}

export const s = {
  string: () =>
    make<string>('string', (v, p) => (typeof v === 'string' ? v : fail(p, 'a string', v))),
  number: () =>
    make<number>('number', (v, p) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'a number', v))),
  integer: () =>
    make<number>('integer', (v, p) => (Number.isSafeInteger(v) ? (v as number) : fail(p, 'an integer', v))),
  boolean: () =>
    make<boolean>('boolean', (v, p) => (typeof v === 'boolean' ? v : fail(p, 'a boolean', v))),
  literal: <const L extends readonly (string | number)[]>(...values: L) =>
    make<L[number]>('literal', (v, p) =>
      values.includes(v as L[number]) ? (v as L[number]) : fail(p, `one of ${values.join(', ')}`, v),
      { values },
    ),
  array: <T>(item: Schema<T>) =>
    make<T[]>('array', (v, p) => (Array.isArray(v) ? v.map((x, i) => item.parse(x, `${p}[${i}]`)) : fail(p, 'an array', v)), { item }),
  record: <T>(item: Schema<T>) =>
    make<Record<string, T>>('record', (v, p) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v);
      const out: Record<string, T> = {};
      for (const [k, x] of Object.entries(v)) out[k] = item.parse(x, `${p}.${k}`);
      return out;
    }, { item }),
  object: <S extends Shape>(shape: S) =>
    make<InferShape<S>>('object', (v, p) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v);
      const src = v as Record<string, unknown>;
      for (const k of Object.keys(src)) {
        if (!(k in shape)) throw invalidArgument(`invalid argument ${p ? p + '.' : ''}${k}: unknown field`);
      }
      const out: Record<string, unknown> = {};
      for (const [k, schema] of Object.entries(shape)) {
        const x = src[k];
        if (x === undefined) {
          if (!schema.isOptional) fail(p ? `${p}.${k}` : k, schema.kind, x);
          continue;
        }
        out[k] = schema.parse(x, p ? `${p}.${k}` : k);
      }
      return out as InferShape<S>;
    }, { shape }),
  optional: <T>(inner: Schema<T>): Schema<T | undefined> & { isOptional: true } => ({
    kind: inner.kind,
    isOptional: true,
    parse: (v, p) => (v === undefined ? undefined : inner.parse(v, p)),
    parts: inner.parts,
  }),
  nullable: <T>(inner: Schema<T>) =>
    make<T | null>(inner.kind, (v, p) => (v === null ? null : inner.parse(v, p)), { nullable: inner }),
  /** Raw bytes: a Uint8Array in process, base64 text across JSON bridges. */
  bytes: () =>
    make<Uint8Array>('bytes', (v, p) => {
      if (v instanceof Uint8Array) return v;
      if (typeof v === 'string') return Buffer.from(v, 'base64');
      return fail(p, 'bytes', v);
    }),
  void: () => make<void>('void', () => undefined),
};
