// The docker CLI's value parsers for limits: CPU counts (a decimal or a
// fraction, to the billionth) and --ulimit (go-units ParseUlimit); sizes are
// humanize.ts's parseRamBytes (the app reads them too). Each throws the Error
// whose message pflag prints after `invalid argument "X" for "--flag" flag: `.

/** opts.ParseCPUs: "1.5" or "3/2" CPUs as nano-CPUs, refusing what a nano-CPU cannot hold. */
export function parseNanoCpus(text: string): number {
  const m = /^([+-]?\d*)(?:\.(\d*))?$/.exec(text);
  const frac = /^([+-]?\d+)\/(\d+)$/.exec(text);
  let nano: number;
  if (m && (m[1].replace(/[+-]/, '') !== '' || (m[2] ?? '') !== '')) {
    const decimals = m[2] ?? '';
    if (decimals.replace(/0+$/, '').length > 9) throw new Error('value is too precise');
    const sign = m[1].startsWith('-') ? -1 : 1;
    nano = sign * (Number(m[1].replace(/[+-]/, '') || '0') * 1e9 + Number((decimals + '000000000').slice(0, 9)));
  } else if (frac && Number(frac[2]) !== 0) {
    nano = (Number(frac[1]) * 1e9) / Number(frac[2]);
    if (!Number.isInteger(nano)) throw new Error('value is too precise');
  } else throw new Error(`failed to parse ${text} as a rational number`);
  return nano;
}

/** go-units ParseUlimit: NAME=SOFT[:HARD]. */
export function parseUlimit(text: string, names: readonly string[]): { name: string; soft: number; hard: number } {
  const eq = text.indexOf('=');
  if (eq < 0) throw new Error(`invalid ulimit argument: ${text}`);
  const name = text.slice(0, eq);
  if (!names.includes(name)) throw new Error(`invalid ulimit type: ${name}`);
  const values = text.slice(eq + 1).split(':');
  if (values.length > 2) throw new Error(`too many limit value arguments - ${text.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``);
  const [soft, hard] = [values[0], values[1] ?? values[0]].map((v) => {
    if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new Error(`strconv.ParseInt: parsing "${v}": invalid syntax`);
    return Number(v);
  });
  if (hard !== -1 && soft > hard) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { name, soft, hard };
}
