import { describe, expect, it } from 'vitest';
import { goDuration, goList, goQuote, goQuotedList, healthcheckText, nopCommand, nopCommandString, runCommand } from './createdBy';

describe('created_by text', () => {
  it('joins metadata steps with two spaces after #(nop), WORKDIR and COPY with one', () => {
    expect(nopCommand(['/bin/sh', '-c'], 'CMD ["a" "b"]').join(' ')).toBe('/bin/sh -c #(nop)  CMD ["a" "b"]');
    expect(nopCommandString(['/bin/sh', '-c'], 'WORKDIR /app').join(' ')).toBe('/bin/sh -c #(nop) WORKDIR /app');
  });

  it('records RUN with its build args first', () => {
    expect(runCommand(['/bin/sh', '-c', 'make'], ['A=1', 'B=x y']).join(' ')).toBe('|2 A=1 B=x y /bin/sh -c make');
    expect(runCommand(['/bin/sh', '-c', 'make'], []).join(' ')).toBe('/bin/sh -c make');
  });

  it('prints values as Go fmt does', () => {
    expect(goQuotedList(['/bin/sh', '-c', 'echo "hi"\n'])).toBe('["/bin/sh" "-c" "echo \\"hi\\"\\n"]');
    expect(goQuotedList(undefined)).toBe('[]');
    expect(goList(['/data', '[/data2]'])).toBe('[/data [/data2]]');
    expect(goQuote('tab\there é \u0007 \u00a0')).toBe('"tab\\there é \\a \\u00a0"');
  });

  it.each([
    [0, '0s'],
    [5e9, '5s'],
    [1.5e9, '1.5s'],
    [90e9, '1m30s'],
    [3600e9 + 1e9, '1h0m1s'],
    [250e6, '250ms'],
    [1500, '1.5µs'],
    [12, '12ns'],
  ])('Go duration %d → %s', (ns, text) => expect(goDuration(ns)).toBe(text));

  it('prints HEALTHCHECK as Docker 20.10 records it', () => {
    // From `docker history` of a DOCKER_BUILDKIT=0 build of HEALTHCHECK --interval=5s --retries=3 CMD wget -q localhost || exit 1
    expect(healthcheckText({ Test: ['CMD-SHELL', 'wget -q localhost || exit 1'], Interval: 5e9, Retries: 3 })).toBe(
      `HEALTHCHECK &{["CMD-SHELL" "wget -q localhost || exit 1"] "5s" "0s" "0s" '\\x03'}`,
    );
    expect(healthcheckText({ Test: ['NONE'] })).toBe(`HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`);
  });
});
