/**
 * Pure helpers behind the string commands: the x87 `long double` arithmetic that
 * INCRBYFLOAT (and HINCRBYFLOAT) results depend on, and the LCS algorithm.
 *
 * Redis computes INCRBYFLOAT in 80-bit extended precision (`strtold`, `+`, `%.17Lf`), so
 * `0.1 + 0.2` is `0.3` there, and `1e30` prints as `1000000000000000000024696061952`. JS has
 * only binary64, so the arithmetic is emulated exactly here with bigint: a value is
 * `mant * 2^exp` with a 64-bit significand, rounded to nearest-even after every step, with
 * the x87 exponent range (subnormals down to 2^-16445, overflow at 2^16384).
 *
 * @module
 */

/** An 80-bit extended-precision value: `(-1)^neg * mant * 2^exp`, or an infinity. */
export interface LongDouble {
  /** Sign (also for zero and infinities). */
  readonly neg: boolean;
  /** Significand, below 2^64; 0n for zero. */
  readonly mant: bigint;
  /** Binary exponent of the significand's least significant bit. */
  readonly exp: number;
  /** Infinite (mant and exp are then meaningless). */
  readonly inf: boolean;
}

/** Exponent of the smallest subnormal's bit (2^-16445). */
const MIN_LSB = -16445;
/** Values at or above 2^16384 overflow to infinity. */
const MAX_BITS = 16384;
/** Longest string Redis accepts as a long double (`MAX_LONG_DOUBLE_CHARS` 5k, minus NUL). */
const MAX_CHARS = 5 * 1024 - 1;

const ZERO: LongDouble = { neg: false, mant: 0n, exp: 0, inf: false };
const NEG_ZERO: LongDouble = { neg: true, mant: 0n, exp: 0, inf: false };

/** Number of significant bits of a positive bigint. */
function bitLength(x: bigint): number {
  if (x < 0x20000000000000n) return x === 0n ? 0 : Math.floor(Math.log2(Number(x))) + 1;
  const hex = x.toString(16);
  return hex.length * 4 - (Math.clz32(parseInt(hex[0]!, 16)) - 28);
}

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let p = POW10[n];
    if (p === undefined) p = POW10[n] = 10n ** BigInt(n);
    return p;
  }
  return 10n ** BigInt(n);
}

/**
 * Rounds `(q + s) * 2^e` to a long double, where `s` is a positive amount below one unit of
 * `q`'s last bit when `sticky` (the rest of an inexact quotient). Callers give at least 66
 * significant bits whenever `sticky` is set, so the sticky part is always below the
 * rounding position.
 */
function round(neg: boolean, q: bigint, e: number, sticky: boolean): LongDouble {
  if (q === 0n) return neg ? NEG_ZERO : ZERO;
  const len = bitLength(q);
  let lsb = e + len - 64;
  if (lsb < MIN_LSB) lsb = MIN_LSB;
  const shift = lsb - e;
  let mant: bigint;
  if (shift <= 0) {
    mant = q << BigInt(-shift);
  } else {
    const bs = BigInt(shift);
    mant = q >> bs;
    const rem = q & ((1n << bs) - 1n);
    const half = 1n << (bs - 1n);
    if (rem > half || (rem === half && (sticky || (mant & 1n) === 1n))) mant++;
  }
  if (mant === 0x10000000000000000n) {
    mant = 0x8000000000000000n;
    lsb++;
  }
  if (mant === 0n) return neg ? NEG_ZERO : ZERO;
  if (bitLength(mant) + lsb > MAX_BITS) return { neg, mant: 0n, exp: 0, inf: true };
  return { neg, mant, exp: lsb, inf: false };
}

/** `true` for C's `isspace` characters. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses optional-sign decimal exponent digits at `i`; returns [value clamped, end] or null. */
function parseExponent(s: string, i: number): [number, number] | null {
  const n = s.length;
  let neg = false;
  if (i < n && (s[i] === "+" || s[i] === "-")) {
    neg = s[i] === "-";
    i++;
  }
  const start = i;
  let v = 0;
  while (i < n) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    // Far beyond any exponent that could matter: clamp instead of overflowing.
    if (v < 1e7) v = v * 10 + c;
    i++;
  }
  if (i === start) return null;
  return [neg ? -v : v, i];
}

/**
 * Parses a string the way Redis's `getLongDoubleFromObject` does: the whole string must be a
 * C `strtold` number (decimal, hex float, `inf`/`infinity`), with no leading space, shorter
 * than 5k characters, not NaN, and not out of range (overflow, or nonzero digits rounding to
 * zero). Returns `null` when Redis would say "value is not a valid float".
 */
export function parseLongDouble(s: string): LongDouble | null {
  const n = s.length;
  if (n === 0 || n > MAX_CHARS || isCSpace(s.charCodeAt(0))) return null;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 /* + */ || c0 === 45 /* - */) {
    neg = c0 === 45;
    i = 1;
  }
  const rest = s.length - i;
  const c = s.charCodeAt(i) | 0x20;
  if (c === 105 /* i */) {
    const word = s.slice(i).toLowerCase();
    if (word === "inf" || word === "infinity") return { neg, mant: 0n, exp: 0, inf: true };
    return null;
  }
  if (c === 110 /* n */) return null; // "nan..." is either NaN or not fully consumed
  let r: LongDouble | null;
  if (rest > 2 && s[i] === "0" && (s.charCodeAt(i + 1) | 0x20) === 120 /* x */) {
    r = parseHex(s, i + 2, neg);
  } else {
    r = parseDecimal(s, i, neg);
  }
  return r;
}

function parseDecimal(s: string, i: number, neg: boolean): LongDouble | null {
  const n = s.length;
  let digits = "";
  let fracDigits = 0;
  let any = false;
  let dot = false;
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      any = true;
      // Leading zeros add nothing but bigint work.
      if (digits.length !== 0 || ch !== 48) digits += s[i];
      if (dot) fracDigits++;
    } else if (ch === 46 /* . */ && !dot) {
      dot = true;
    } else break;
  }
  if (!any) return null;
  let e10 = -fracDigits;
  if (i < n && (s.charCodeAt(i) | 0x20) === 101 /* e */) {
    const ex = parseExponent(s, i + 1);
    if (ex === null) return null; // strtold would stop before the 'e'
    e10 += ex[0];
    i = ex[1];
  }
  if (i !== n) return null;
  if (digits.length === 0) return neg ? NEG_ZERO : ZERO;
  const magnitude = digits.length + e10 - 1; // value is in [10^magnitude, 10^(magnitude+1))
  if (magnitude > 4933) return null; // overflow (ERANGE, HUGE_VALL)
  if (magnitude < -4952) return null; // rounds to zero (ERANGE)
  const d = BigInt(digits);
  let r: LongDouble;
  if (e10 >= 0) {
    r = round(neg, d * pow10(e10), 0, false);
  } else {
    const den = pow10(-e10);
    const k = Math.max(0, 66 + bitLength(den) - bitLength(d));
    const num = d << BigInt(k);
    const q = num / den;
    r = round(neg, q, -k, q * den !== num);
  }
  if (r.inf || r.mant === 0n) return null;
  return r;
}

function parseHex(s: string, i: number, neg: boolean): LongDouble | null {
  const n = s.length;
  let m = 0n;
  let any = false;
  let dot = false;
  let e2 = 0;
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    const h = hexDigit(ch);
    if (h >= 0) {
      any = true;
      if (m !== 0n || h !== 0) {
        m = (m << 4n) | BigInt(h);
        if (dot) e2 -= 4;
      } else if (dot) e2 -= 4;
    } else if (ch === 46 && !dot) {
      dot = true;
    } else break;
  }
  if (!any) return null;
  if (i < n && (s.charCodeAt(i) | 0x20) === 112 /* p */) {
    const ex = parseExponent(s, i + 1);
    if (ex === null) return null;
    e2 += ex[0];
    i = ex[1];
  }
  if (i !== n) return null;
  if (m === 0n) return neg ? NEG_ZERO : ZERO;
  const top = bitLength(m) + e2;
  if (top > MAX_BITS + 1) return null;
  if (top < MIN_LSB - 2) return null;
  const r = round(neg, m, e2, false);
  if (r.inf || r.mant === 0n) return null;
  return r;
}

/** Sum of two long doubles, rounded; `null` for NaN (opposite infinities). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return null;
    return a.inf ? a : b;
  }
  if (a.mant === 0n) return b.mant === 0n ? (a.neg && b.neg ? NEG_ZERO : ZERO) : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const av = a.mant << BigInt(a.exp - e);
  const bv = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -av : av) + (b.neg ? -bv : bv);
  if (sum === 0n) return ZERO;
  return sum < 0n ? round(true, -sum, e, false) : round(false, sum, e, false);
}

const FRAC_DIGITS = 17;
const FRAC_SCALE = 10n ** 17n;

/**
 * Formats like Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf` (exact decimal expansion,
 * rounded half-to-even), trailing zeros and a trailing dot removed, `-0` printed as `0`.
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.inf) return v.neg ? "-inf" : "inf";
  let scaled: bigint;
  if (v.exp >= 0) {
    scaled = (v.mant << BigInt(v.exp)) * FRAC_SCALE;
  } else {
    const num = v.mant * FRAC_SCALE;
    const s = BigInt(-v.exp);
    scaled = num >> s;
    const rem = num - (scaled << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (scaled & 1n) === 1n)) scaled++;
  }
  const intPart = scaled / FRAC_SCALE;
  let frac = (scaled % FRAC_SCALE).toString().padStart(FRAC_DIGITS, "0");
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  const body = frac.length === 0 ? intPart.toString() : `${intPart}.${frac}`;
  if (!v.neg || body === "0") return body;
  return "-" + body;
}

/** Outcome of {@link incrByFloat}. */
export type IncrByFloatResult =
  | { ok: true; value: string }
  | { ok: false; error: "value" | "increment" | "nan-or-inf" };

/** Largest integer magnitude for the exact float fast path. */
const SAFE = Number.MAX_SAFE_INTEGER;

function plainInteger(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 16) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return null;
  if (s.charCodeAt(i) === 48 && n > i + 1) return null;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const v = Number(s);
  return Math.abs(v) <= SAFE ? v : null;
}

/**
 * INCRBYFLOAT arithmetic on strings: `current` (null when the key is missing, i.e. 0) plus
 * `increment`, computed and printed exactly as Redis does on x86-64.
 */
export function incrByFloat(current: string | null, increment: string): IncrByFloatResult {
  // Exact for integers: a long double holds them, the sum stays below 2^53, and `%.17Lf`
  // of an integer trims to the integer itself.
  const ci = current === null ? 0 : plainInteger(current);
  if (ci !== null) {
    const ii = plainInteger(increment);
    if (ii !== null) {
      const sum = ci + ii;
      if (Math.abs(sum) <= SAFE) return { ok: true, value: String(sum) };
    }
  }
  const a = current === null ? ZERO : parseLongDouble(current);
  if (a === null) return { ok: false, error: "value" };
  const b = parseLongDouble(increment);
  if (b === null) return { ok: false, error: "increment" };
  const sum = addLongDouble(a, b);
  if (sum === null || sum.inf) return { ok: false, error: "nan-or-inf" };
  return { ok: true, value: formatLongDoubleHuman(sum) };
}

/** One LCS match: ranges (inclusive) in the first and second string, and its length. */
export interface LcsMatch {
  /** Start and end offsets in the first string. */
  a: [number, number];
  /** Start and end offsets in the second string. */
  b: [number, number];
  /** Length of the match. */
  len: number;
}

/** Result of {@link lcs}. */
export interface LcsResult {
  /** Length of the longest common subsequence. */
  len: number;
  /** The subsequence itself (binary string), when asked for. */
  text: string;
  /** Matching ranges from the end of the strings backwards, when asked for. */
  matches: LcsMatch[];
}

/**
 * Number of bytes Redis's dynamic-programming table needs for strings of these lengths
 * (LCS refuses to run when it exceeds `proto-max-bulk-len`).
 */
export function lcsTableBytes(alen: number, blen: number): number {
  return (alen + 1) * (blen + 1) * 4;
}

/**
 * Longest common subsequence of byte strings `a` and `b` with Redis's LCS semantics: the
 * classic table, walked back from the end preferring to drop a byte of `b` on ties, which
 * fixes which subsequence and which ranges are reported. Ranges shorter than `minMatchLen`
 * are left out of `matches`.
 */
export function lcs(
  a: Uint8Array,
  b: Uint8Array,
  opts: { text: boolean; matches: boolean; minMatchLen: number },
): LcsResult {
  const alen = a.length;
  const blen = b.length;
  const w = blen + 1;
  const size = (alen + 1) * w;
  // Cell values never exceed min(alen, blen): halve the table when 16 bits are enough.
  const table = Math.min(alen, blen) < 0xffff ? new Uint16Array(size) : new Uint32Array(size);
  for (let i = 1; i <= alen; i++) {
    const ai = a[i - 1];
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ai === b[j - 1]) {
        table[row + j] = table[prev + j - 1]! + 1;
      } else {
        const up = table[prev + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const len = table[alen * w + blen]!;
  const result: LcsResult = { len, text: "", matches: [] };
  if (!opts.text && !opts.matches) return result;
  const out = opts.text ? new Uint8Array(len) : null;
  let idx = len;
  let i = alen;
  let j = blen;
  // Current run of matches being extended backwards; aStart === -1 when none.
  let aStart = -1;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  const minLen = opts.minMatchLen;
  const emit = () => {
    const mlen = aEnd - aStart + 1;
    if (opts.matches && (minLen === 0 || mlen >= minLen)) {
      result.matches.push({ a: [aStart, aEnd], b: [bStart, bEnd], len: mlen });
    }
    aStart = -1;
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      if (out !== null) out[idx - 1] = a[i - 1]!;
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit();
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      }
      idx--;
      i--;
      j--;
      if (aStart === 0 || bStart === 0) emit();
    } else {
      if (table[(i - 1) * w + j]! > table[i * w + j - 1]!) i--;
      else j--;
      if (aStart !== -1) emit();
    }
  }
  if (out !== null) {
    let s = "";
    for (let k = 0; k < out.length; k += 8192) {
      s += String.fromCharCode(...out.subarray(k, k + 8192));
    }
    result.text = s;
  }
  return result;
}
