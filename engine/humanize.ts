// Docker's go-units words for durations and sizes ("About a minute",
// "1.98MB"), shared by the engine's status strings, the CLI's tables and the
// app, so all three print what `docker ps` and `docker images` print.

/** go-units HumanDuration, from a duration in milliseconds: "Less than a second", "3 days", "2 years". */
export function humanDuration(milliseconds: number): string {
  const hoursExact = milliseconds / 3_600_000;
  const seconds = Math.trunc(milliseconds / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(milliseconds / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  // Hours round to the nearest; days, weeks, months and years then count whole ones.
  const hours = Math.trunc(hoursExact + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(hoursExact) / 24 / 365)} years`;
}

const decimalUnits = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scaled(size: number, base: number, units: string[], precision: number): string {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return formatG(size, precision) + units[i];
}

/** go-units HumanSizeWithPrecision: decimal (SI) units, `precision` significant digits. */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  return scaled(bytes, 1000, decimalUnits, precision);
}

/** go-units HumanSize: 4 significant digits ("1.984MB"); `docker images` SIZE uses 3 ("1.98MB"). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** go-units BytesSize: binary units, 4 significant digits ("3.42GiB"). */
export function bytesSize(bytes: number): string {
  return scaled(bytes, 1024, binaryUnits, 4);
}

/**
 * Go's fmt `%.<precision>g`: rounds half to even on the exact binary value,
 * drops trailing zeros, and switches to `1e+04` form when the exponent is
 * below -4 or not below the precision (after dropping zeros, as Go does).
 */
export function formatG(value: number, precision: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  const sign = value < 0 ? '-' : '';
  // 30 extra digits of the exact decimal expansion tell a true tie from a near one.
  const [mantissa, exponentText] = Math.abs(value).toExponential(precision - 1 + 30).split('e');
  let digits = mantissa.replace('.', '');
  let pointPos = Number(exponentText) + 1; // digits before the decimal point
  const kept = digits.slice(0, precision);
  const rest = digits.slice(precision);
  const roundUp = rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(kept[kept.length - 1]) % 2 === 1));
  digits = roundUp ? incrementDigits(kept) : kept;
  if (digits.length > precision) {
    pointPos++;
    digits = digits.slice(0, precision);
  }
  digits = digits.replace(/0+$/, '') || '0';

  let ePrecision = precision;
  if (ePrecision > digits.length && digits.length >= pointPos) ePrecision = digits.length;
  const exponent = pointPos - 1;
  if (exponent < -4 || exponent >= ePrecision) {
    const frac = digits.slice(1);
    const expAbs = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${frac ? '.' + frac : ''}e${exponent < 0 ? '-' : '+'}${expAbs}`;
  }
  if (pointPos <= 0) return `${sign}0.${'0'.repeat(-pointPos)}${digits}`;
  const whole = digits.slice(0, pointPos).padEnd(pointPos, '0');
  const frac = digits.slice(pointPos);
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return '1' + out.join('');
}

/** go-units' sizes: "512m", "1.5g", "100KiB" (an optional i and b, a fraction allowed) in units of `base`; throws pflag's reason. */
function parseSize(text: string, base: number): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) throw new Error(`invalid size: '${text}'`);
  if (!/^\d+(\.\d+)?$/.test(m[1])) throw new Error(`strconv.ParseFloat: parsing "${m[1]}": invalid syntax`);
  const unit = { k: 1, m: 2, g: 3, t: 4, p: 5 }[(m[2] ?? '').toLowerCase()] ?? 0;
  return Math.trunc(Number(m[1]) * base ** unit);
}

/** go-units RAMInBytes, as the docker CLI reads --memory and --shm-size: binary units (k = 1024). */
export const parseRamBytes = (text: string): number => parseSize(text, 1024);
/** go-units FromHumanSize: "10m" is 10,000,000 bytes (json-file's max-size). */
export const fromHumanSize = (text: string): number => parseSize(text, 1000);
