/**
 * Lua 5.1 math library (`lmathlib.c`), with `random`/`randomseed` replaced the way Redis
 * does: a deterministic 48-bit LCG (`redisLrand48`, the classic `lrand48` recurrence
 * x = x * 0x5DEECE66D + 0xB mod 2^48, seeded like `srand48`: x = seed << 16 | 0x330E).
 * `math.random()` returns `(lrand48() % (2^31 - 1)) / (2^31 - 1)`; with arguments it scales
 * like Lua 5.1 (`floor(r * u) + 1`, `floor(r * (u - l + 1)) + l`).
 *
 * Redis calls `redisSrand48(0)` before every script, so each script sees the same
 * sequence; {@link resetRandom} does that here (it is also the initial state).
 *
 * @module
 */

import { checkInt, checkNumber, setFuncs } from "./auxlib.ts";
import { argError, cpow, luaError, LuaTable, type LuaValue, nativeFunction } from "./value.ts";

// The 48-bit state as two 24-bit halves (exact in doubles).
let xHi = 0;
let xLo = 0x330e;
const A_HI = 0x5de, A_LO = 0xece66d, C = 0xb;
const TWO24 = 16777216;

/** Seeds the generator like `redisSrand48(seed)` (seed is a C int). */
export function seedRandom(seed: number): void {
  const u = seed >>> 0;
  // x = (u << 16) | 0x330E over 48 bits.
  const x = u * 65536 + 0x330e;
  xHi = Math.floor(x / TWO24);
  xLo = x % TWO24;
}

/** Resets the generator to seed 0, as Redis does before running each script. */
export function resetRandom(): void {
  seedRandom(0);
}

/** `redisLrand48()`: advances the state and returns its top 31 bits. */
export function lrand48(): number {
  const t = A_LO * xLo + C;
  const lo = t % TWO24;
  const carry = Math.floor(t / TWO24);
  const hi = (A_HI * xLo + A_LO * xHi + carry) % TWO24;
  xHi = hi;
  xLo = lo;
  // x >> 17 = hi * 2^7 + (lo >> 17)
  return hi * 128 + (lo >>> 17);
}

const LRAND48_MAX = 2147483647;

/** The x86 default NaN (sign bit set), which glibc prints as "-nan". */
const NEG_NAN = (() => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setUint32(0, 0xfff80000);
  return dv.getFloat64(0);
})();

/** Wraps a libm function whose domain errors produce glibc's "-nan". */
function negNaN(f: (x: number) => number): (x: number) => number {
  return (x) => {
    const r = f(x);
    return r !== r && x === x ? NEG_NAN : r;
  };
}

function frexp(x: number): [number, number] {
  if (x === 0 || !isFinite(x) || x !== x) return [x, 0];
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  let e = (dv.getUint16(0) >> 4) & 0x7ff;
  let extra = 0;
  if (e === 0) {
    // Subnormal: scale up first.
    dv.setFloat64(0, x * 2 ** 64);
    e = (dv.getUint16(0) >> 4) & 0x7ff;
    extra = -64;
  }
  const exp = e - 1022;
  const hi = dv.getUint16(0);
  dv.setUint16(0, (hi & 0x800f) | (1022 << 4));
  return [dv.getFloat64(0), exp + extra];
}

function ldexp(m: number, e: number): number {
  // Apply in steps so intermediate powers of two stay finite / normal.
  while (e > 1000) {
    m *= 2 ** 1000;
    e -= 1000;
    if (!isFinite(m)) return m;
  }
  while (e < -1000) {
    m *= 2 ** -1000;
    e += 1000;
    if (m === 0) return m;
  }
  return m * 2 ** e;
}

/** Opens the math library. */
export function openMath(G: LuaTable): LuaTable {
  const M = new LuaTable();
  const n1 = (name: string, f: (x: number) => number) => (a: LuaValue[]): LuaValue[] => [
    f(checkNumber(a, 0, name)),
  ];
  setFuncs(M, {
    abs: n1("abs", Math.abs),
    ceil: n1("ceil", Math.ceil),
    floor: n1("floor", Math.floor),
    sqrt: n1("sqrt", negNaN(Math.sqrt)),
    sin: n1("sin", negNaN(Math.sin)),
    cos: n1("cos", negNaN(Math.cos)),
    tan: n1("tan", negNaN(Math.tan)),
    asin: n1("asin", Math.asin),
    acos: n1("acos", Math.acos),
    atan: n1("atan", Math.atan),
    sinh: n1("sinh", Math.sinh),
    cosh: n1("cosh", Math.cosh),
    tanh: n1("tanh", Math.tanh),
    exp: n1("exp", Math.exp),
    log: n1("log", negNaN(Math.log)),
    log10: n1("log10", Math.log10),
    deg: n1("deg", (x) => x * (180 / Math.PI)),
    rad: n1("rad", (x) => x * (Math.PI / 180)),
    // Two-argument functions check the second argument first: gcc evaluates the C call's
    // arguments right to left, so lua5.1 reports "bad argument #2" first.
    atan2: (a) => {
      const y = checkNumber(a, 1, "atan2");
      return [Math.atan2(checkNumber(a, 0, "atan2"), y)];
    },
    pow: (a) => {
      const y = checkNumber(a, 1, "pow");
      return [cpow(checkNumber(a, 0, "pow"), y)];
    },
    fmod: (a) => {
      const y = checkNumber(a, 1, "fmod"), x = checkNumber(a, 0, "fmod");
      const r = x % y;
      return [r !== r && x === x && y === y ? NEG_NAN : r];
    },
    mod: (a) => {
      const y = checkNumber(a, 1, "mod");
      return [checkNumber(a, 0, "mod") % y];
    },
    modf: (a) => {
      const x = checkNumber(a, 0, "modf");
      if (x === Infinity || x === -Infinity) return [x, x > 0 ? 0 : -0];
      const ip = Math.trunc(x);
      const fp = x - ip;
      // C's modf gives the fraction the sign of x (modf(-3) is -3, -0).
      return [ip, fp === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : fp];
    },
    frexp: (a) => frexp(checkNumber(a, 0, "frexp")),
    ldexp: (a) => {
      const e = checkInt(a, 1, "ldexp");
      return [ldexp(checkNumber(a, 0, "ldexp"), e)];
    },
    min: (a) => {
      let m = checkNumber(a, 0, "min");
      for (let i = 1; i < a.length; i++) {
        const d = checkNumber(a, i, "min");
        if (d < m) m = d;
      }
      return [m];
    },
    max: (a) => {
      let m = checkNumber(a, 0, "max");
      for (let i = 1; i < a.length; i++) {
        const d = checkNumber(a, i, "max");
        if (d > m) m = d;
      }
      return [m];
    },
    random: (a) => {
      const r = (lrand48() % LRAND48_MAX) / LRAND48_MAX;
      switch (a.length) {
        case 0:
          return [r];
        case 1: {
          const u = checkInt(a, 0, "random");
          if (!(1 <= u)) argError(1, "random", "interval is empty");
          return [Math.floor(r * u) + 1];
        }
        case 2: {
          const l = checkInt(a, 0, "random");
          const u = checkInt(a, 1, "random");
          if (!(l <= u)) argError(2, "random", "interval is empty");
          return [Math.floor(r * (u - l + 1)) + l];
        }
        default:
          return luaError("wrong number of arguments");
      }
    },
    randomseed: (a) => {
      seedRandom(checkInt(a, 0, "randomseed"));
      return [];
    },
  }, nativeFunction);
  M.set("pi", Math.PI);
  M.set("huge", Infinity);
  G.set("math", M);
  return M;
}
