// What every `inspect` prints: a JSON array indented as docker's (4 spaces),
// or with -f a template rendered once per object; then the names that were
// nothing, one error line each (exit 1 if any).

import { goJsonIndent } from './gojson';
import type { Cli } from './session';
import { parseTemplate } from './template';

export async function writeInspected<T>(cli: Cli, refs: readonly string[], format: string | undefined, find: (ref: string) => Promise<T>): Promise<number> {
  const template = format !== undefined ? parseTemplate(format) : undefined;
  const found: T[] = [];
  const errors: unknown[] = [];
  for (const ref of refs) {
    try {
      found.push(await find(ref));
    } catch (err) {
      errors.push(err);
    }
  }
  if (template) for (const object of found) cli.out(template.render(object) + '\n');
  else cli.out(goJsonIndent(found, '    ') + '\n');
  for (const err of errors) cli.error(err);
  return errors.length > 0 ? 1 : 0;
}
