// fast-check arbitraries made from engine/api.ts's schemas: arguments a
// schema accepts (its strings drawn from hostile words and the names the test
// gives, so requests reach past their first lookup), and arguments it must
// refuse, each one mistake away from a well-formed one.

import fc from 'fast-check';
import type { Schema } from '../rpc/schema';
import { hostileWords } from './hostile';

/** Arguments `schema` accepts; `words`: strings worth trying beside hostile ones (ids, names, paths). */
export function wellFormed(schema: Schema<unknown>, words: readonly string[]): fc.Arbitrary<unknown> {
  const parts = schema.parts ?? {};
  if (parts.nullable) return fc.oneof(fc.constant(null), wellFormed(parts.nullable, words));
  switch (schema.kind) {
    case 'string': {
      const hostile = fc.oneof(fc.constantFrom(...hostileWords), fc.string({ unit: 'binary', maxLength: 40 }));
      return words.length > 0 ? fc.oneof(fc.constantFrom(...words), hostile) : hostile;
    }
    case 'integer':
      return fc.oneof(fc.constantFrom(0, -1, 1, 2 ** 31, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER), fc.integer());
    case 'number':
      return fc.oneof(fc.constantFrom(0, -1, 0.5, 1e300, -1e300), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...parts.values!);
    case 'bytes':
      return fc.uint8Array({ maxLength: 64 });
    case 'array':
      return fc.array(wellFormed(parts.item!, words), { maxLength: 3 });
    case 'record':
      return fc.dictionary(fc.constantFrom(...hostileWords.slice(0, 20), 'a', 'b'), wellFormed(parts.item!, words), { maxKeys: 3 });
    case 'object': {
      const shape = parts.shape!;
      const fields = Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, wellFormed(f, words)]));
      const requiredKeys = Object.keys(shape).filter((k) => !shape[k].isOptional);
      return fc.record(fields, { requiredKeys });
    }
    case 'void':
      return fc.constant(undefined);
    default:
      throw new Error(`no arbitrary for a schema of kind ${schema.kind}`);
  }
}

/** A value of the wrong kind for `schema` (for a literal, none of its values). */
function wrongKind(schema: Schema<unknown>): fc.Arbitrary<unknown> {
  const others: Record<string, unknown[]> = {
    string: [1, true, {}, ['x']],
    integer: ['1', 0.5, NaN, Infinity, 2 ** 60, true],
    number: ['1', NaN, Infinity, null],
    boolean: ['true', 1, 0],
    literal: ['\u0000none of these', 3.25, false],
    bytes: [5, true, {}],
    array: [{}, 'a', 1],
    record: [[], 'a', 1, [['a', 'b']]],
    object: [[], 'a', 1, true],
  };
  const wrong = others[schema.kind] ?? [];
  // A nullable takes null; anything else is wrong for it.
  return fc.constantFrom(...(schema.parts?.nullable ? wrong : [...wrong, null]));
}

/** Arguments `schema` must refuse: a wrong kind somewhere, an unknown field, a required field left out. */
export function malformed(schema: Schema<unknown>, words: readonly string[]): fc.Arbitrary<unknown> {
  const parts = schema.parts ?? {};
  const inner = parts.nullable ?? schema;
  const kind = inner.kind;
  const ways: fc.Arbitrary<unknown>[] = [wrongKind(schema)];
  if (kind === 'array') ways.push(malformed(inner.parts!.item!, words).map((x) => [x]));
  if (kind === 'record') ways.push(malformed(inner.parts!.item!, words).map((x) => ({ a: x })));
  if (kind === 'object') {
    const shape = inner.parts!.shape!;
    const base = wellFormed(inner, words) as fc.Arbitrary<Record<string, unknown>>;
    ways.push(base.map((v) => ({ ...v, '\u0000unknown': 1 })));
    const required = Object.keys(shape).filter((k) => !shape[k].isOptional);
    if (required.length > 0) {
      ways.push(fc.tuple(base, fc.constantFrom(...required)).map(([v, k]) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))));
    }
    const breakable = Object.keys(shape).filter((k) => shape[k].kind !== 'void');
    if (breakable.length > 0) {
      ways.push(
        fc
          .constantFrom(...breakable)
          .chain((k) => fc.tuple(base, fc.constant(k), malformed(shape[k], words)))
          .map(([v, k, bad]) => ({ ...v, [k]: bad })),
      );
    }
  }
  return fc.oneof(...ways);
}
