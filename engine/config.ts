// Strata's configuration file: one JSON object with a section per concern
// ("network", "registries"...), at $STRATA_CONFIG or /etc/strata/strata.json.
// A missing file, or a missing section, means that concern's defaults. Each
// concern declares its section (a name and a parser that checks the value and
// fills in defaults) next to its code; this module only finds, reads and
// caches the file, and says where a bad value is.

import fs from 'node:fs';
import { EngineError, invalidArgument } from './errors';

export const defaultConfigFile = '/etc/strata/strata.json';

/** One concern's part of the file. `parse` gets undefined when the file has no such section. */
export interface ConfigSection<T> {
  name: string;
  parse(value: unknown): T;
}

/** The file the engine reads: the one given, else $STRATA_CONFIG, else /etc/strata/strata.json. */
export function configFile(file?: string): string {
  return file ?? process.env.STRATA_CONFIG ?? defaultConfigFile;
}

const documents = new Map<string, Record<string, unknown>>();

/** The whole file as an object ({} when it does not exist), read once per process. */
function readDocument(file: string): Record<string, unknown> {
  let doc = documents.get(file);
  if (doc) return doc;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw invalidArgument(`${file}: ${(err as Error).message}`);
    text = '{}';
  }
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw invalidArgument(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidArgument(`${file}: must hold one JSON object`);
  documents.set(file, doc);
  return doc;
}

/** The section, checked and completed with its defaults; a bad value names the file and the field. */
export function readConfig<T>(section: ConfigSection<T>, file?: string): T {
  const where = configFile(file);
  const doc = readDocument(where);
  try {
    return section.parse(doc[section.name]);
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/^invalid argument /, '') : String(err);
    throw new EngineError('InvalidArgument', `${where}: invalid "${section.name}" section: ${message}`);
  }
}

/** Forgets what was read, so the next read sees the file as it is now (tests, a reload). */
export function forgetConfig(): void {
  documents.clear();
}
