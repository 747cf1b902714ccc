// Docker's detach keys: a key sequence in an attached stdin (ctrl-p ctrl-q
// unless the client names another) that ends the attachment and leaves the
// container running. Bytes that start the sequence are held until it is
// clear whether they complete it; those that do not are passed on.

import { badRequest } from './errors';

export const defaultDetachKeys = 'ctrl-p,ctrl-q';

/** "ctrl-p,ctrl-q" → [16, 17]; letters, `ctrl-@`…`ctrl-_`, `ctrl-[` etc., as moby's term.ToBytes. */
export function parseDetachKeys(text: string): number[] {
  const keys: number[] = [];
  for (const part of text.split(',')) {
    const key = part.trim();
    if (key.length === 1) {
      keys.push(key.charCodeAt(0));
      continue;
    }
    const m = /^ctrl-(.)$/i.exec(key);
    if (!m) throw badRequest(`Unknown character: '${key}'`);
    const c = m[1].toLowerCase().charCodeAt(0);
    if (c >= 0x61 && c <= 0x7a) keys.push(c - 0x60);
    else if (m[1] === '@') keys.push(0);
    else if ('[\\]^_'.includes(m[1])) keys.push(m[1].charCodeAt(0) - 0x40);
    else throw badRequest(`Unknown character: '${key}'`);
  }
  return keys;
}

export class DetachScanner {
  private matched = 0;

  constructor(private readonly keys: readonly number[]) {}

  /** The bytes to pass on, and whether the sequence completed (the rest is dropped). */
  scan(chunk: Buffer): { pass: Buffer; detach: boolean } {
    if (this.keys.length === 0) return { pass: chunk, detach: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) return { pass: Buffer.from(out), detach: true };
        continue;
      }
      for (let i = 0; i < this.matched; i++) out.push(this.keys[i]);
      this.matched = byte === this.keys[0] ? 1 : 0;
      if (this.matched === 0) out.push(byte);
    }
    return { pass: Buffer.from(out), detach: false };
  }
}
