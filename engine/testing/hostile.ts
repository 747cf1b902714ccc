// What hostile-input tests hold every parser to: given anything, it returns,
// or it throws an error meant for the user (an EngineError the CLI maps to
// its exit code, or the CLI's own refusal of an option), in one line. A
// TypeError, a RangeError or a stack overflow is a crash of the engine.

import { EngineError } from '../errors';
import { FlagError } from '../cli/flags';
import { OptionError } from '../cli/session';

const userErrors = [EngineError, OptionError, FlagError];

/** The value `fn` returns, or undefined when it refused the input the way a user is told. */
export function refusesCleanly<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!userErrors.some((kind) => err instanceof kind)) throw err;
    if ((err as Error).message.includes('\n')) throw new Error(`a refusal of more than one line: ${JSON.stringify((err as Error).message)}`);
    return undefined;
  }
}

/** Strings a hostile user or file would try: climbing paths, quotes, templates, control bytes, huge, unicode. */
export const hostileWords = [
  '', ' ', '..', '../..', '/', '/etc/passwd', '../../../../etc/shadow', '~', '$HOME', '${PATH}', '$(id)', '`id`',
  '{{', '}}', '{{.}}', '{{json .}}', '{{range .}}', '\\', '"', "'", '#', ':', '::', '@', 'sha256:', '\0', '\u0007', '\r\n',
  '\u202e', 'ünïcødé', '𝔘', 'x'.repeat(5000), '-', '--', '=', 'a=b', '%s%n', 'NaN', '-1', '1e309', '0x10',
];
