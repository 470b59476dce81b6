/**
 * Number parsing and formatting with Redis's exact rules.
 *
 * @module
 */

/** Largest and smallest 64-bit signed integers, as bigint. */
export const INT64_MAX = 9223372036854775807n;
/** Smallest 64-bit signed integer. */
export const INT64_MIN = -9223372036854775808n;

/**
 * Parses a decimal integer the way Redis's `string2ll` does: optional `-`, no `+`, no leading
 * zeros, no spaces, within 64 bits. Returns `null` when it is not such an integer.
 * Values beyond 2^53 are returned as bigint so no precision is lost.
 */
export function parseInteger(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return null;
    neg = true;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  if (n - i <= 15) {
    let v = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      v = v * 10 + c;
    }
    return neg ? -v : v;
  }
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  if (big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)) {
    return Number(big);
  }
  return big;
}

/** Like {@link parseInteger} but only accepts values that fit a JS safe integer. */
export function parseSafeInteger(s: string): number | null {
  const v = parseInteger(s);
  return typeof v === "number" ? v : null;
}

/**
 * Parses a float the way Redis's `strtold`-based helpers do: no leading/trailing spaces,
 * accepts `inf`/`-inf`/`+inf` (case-insensitive), rejects `nan`.
 */
export function parseFloatStrict(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 5000) return null;
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(n - 1);
  if (isSpace(c0) || isSpace(cl)) return null;
  const lower = s.toLowerCase();
  if (lower === "inf" || lower === "+inf" || lower === "infinity" || lower === "+infinity") {
    return Infinity;
  }
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  // C's strtod grammar: decimal or hex float; JS Number() is close but accepts "" and "0x" ints
  // without exponent only. Restrict to the decimal grammar, which is what clients send.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const v = Number(s);
  if (Number.isNaN(v)) return null;
  return v;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Formats a double like C's `%.17g`, as Redis does for scores and RESP3 doubles. */
export function formatDouble17g(v: number): string {
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (Number.isNaN(v)) return "nan";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  return formatG(v, 17);
}

/** C `%.<p>g` formatting. */
export function formatG(v: number, p: number): string {
  const [mant, ex] = v.toExponential(p - 1).split("e") as [string, string];
  const x = parseInt(ex, 10);
  if (x < -4 || x >= p) {
    const ax = Math.abs(x);
    return `${trimZeros(mant)}e${x < 0 ? "-" : "+"}${ax < 10 ? "0" + ax : ax}`;
  }
  return trimZeros(v.toFixed(p - 1 - x));
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/**
 * Formats a long double result the way Redis's INCRBYFLOAT / HINCRBYFLOAT do (`%.17Lf` then
 * trailing zeros trimmed). JS has no long double, so the shortest round-trip repr of the
 * double is used, printed without exponent.
 */
export function formatLongDouble(v: number): string {
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (Object.is(v, -0) || v === 0) return "0";
  let s = String(v);
  if (s.includes("e") || s.includes("E")) {
    s = toPlain(v);
  }
  return s;
}

function toPlain(v: number): string {
  const s = String(v);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? "");
  const exp = parseInt(m[4]!, 10) - (m[3]?.length ?? 0);
  if (exp >= 0) return sign + digits + "0".repeat(exp);
  const pos = digits.length + exp;
  if (pos > 0) return sign + digits.slice(0, pos) + "." + digits.slice(pos);
  return sign + "0." + "0".repeat(-pos) + digits;
}
