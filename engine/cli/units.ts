// The docker CLI's --ulimit value (go-units ParseUlimit); sizes and CPU
// counts are flagValues.ts's. It throws the Error whose message pflag prints
// after `invalid argument "X" for "--flag" flag: `.

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
