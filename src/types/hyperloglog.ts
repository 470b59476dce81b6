/**
 * HyperLogLog in Redis's exact string format, so that PFCOUNT gives Redis's numbers and the
 * bytes (GET, DUMP) are interchangeable with a real Redis.
 *
 * Layout: a 16-byte header — `HYLL`, the encoding (0 dense, 1 sparse), three unused bytes,
 * the cached cardinality as 8 bytes little endian whose top bit (bit 7 of byte 15) marks the
 * cache as stale — followed by 16384 registers (precision 14):
 * - dense: 6 bits per register, packed from the least significant bit of each byte
 *   (12288 bytes);
 * - sparse: run-length opcodes — `00xxxxxx` ZERO (1..64 zero registers),
 *   `01xxxxxx yyyyyyyy` XZERO (1..16384 zero registers, 14-bit length), `1vvvvvxx` VAL (1..4
 *   registers of value 1..32). A register above 32, or growth past `hll-sparse-max-bytes`,
 *   converts the value to dense.
 *
 * An element is hashed with MurmurHash64A (seed 0xadc83b19); the low 14 bits pick the
 * register, and the register keeps the maximum of "position of the lowest set bit of the
 * remaining 50 bits, plus one". The estimate is Otmar Ertl's improved raw estimator
 * ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), as in Redis.
 *
 * The sparse update and merge steps reproduce Redis's opcode sequences byte for byte: a run
 * is split into at most three opcodes around the register, then up to five opcodes from the
 * one before it are scanned to merge neighbouring VALs of equal value.
 *
 * @module
 */
import { RawString } from "../store/value.ts";

/** Number of registers. */
export const HLL_REGISTERS = 16384;
/** Header size in bytes. */
export const HLL_HDR_SIZE = 16;
/** Size of a dense HLL string. */
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + (HLL_REGISTERS * 6) / 8;
/** Encoding byte of a dense HLL. */
export const HLL_DENSE = 0;
/** Encoding byte of a sparse HLL. */
export const HLL_SPARSE = 1;

const P = 14;
const Q = 64 - P;
const P_MASK = HLL_REGISTERS - 1;
const REGISTER_MAX = 63;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
/** 1 / (2 ln 2), the estimator's constant for m → ∞. */
const ALPHA_INF = 0.721347520444481703680;
const SEED = 0xadc83b19;

// --- MurmurHash64A ------------------------------------------------------------------------

/** Multiplier of MurmurHash64A, 0xc6a4a7935bd1e995, as 32-bit halves. */
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

/** Result of {@link mulM}: high and low 32 bits. */
let outHi = 0;
let outLo = 0;

/** `(hi:lo) * M` modulo 2^64 on 32-bit halves, into `outHi:outLo`. */
function mulM(hi: number, lo: number): void {
  // Low halves multiplied exactly through 16-bit limbs; the cross terms only matter mod 2^32.
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const b0 = M_LO & 0xffff;
  const b1 = M_LO >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  outLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  outHi = (carry + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) >>> 0;
}

/** Result of {@link murmurInto}: high and low 32 bits. */
let hashHi = 0;
let hashLo = 0;

/** MurmurHash64A into `hashHi:hashLo`, without allocating. */
function murmurInto(key: string | Uint8Array, seed: number): void {
  const len = key.length;
  const str = typeof key === "string";
  // h = seed ^ (len * m)
  mulM(0, len >>> 0);
  let hHi = outHi;
  let hLo = (outLo ^ seed) >>> 0;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let kLo: number;
    let kHi: number;
    if (str) {
      kLo = (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8) | (key.charCodeAt(i + 2) << 16) |
        (key.charCodeAt(i + 3) << 24)) >>> 0;
      kHi = (key.charCodeAt(i + 4) | (key.charCodeAt(i + 5) << 8) |
        (key.charCodeAt(i + 6) << 16) | (key.charCodeAt(i + 7) << 24)) >>> 0;
    } else {
      kLo = (key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)) >>> 0;
      kHi = (key[i + 4]! | (key[i + 5]! << 8) | (key[i + 6]! << 16) | (key[i + 7]! << 24)) >>> 0;
    }
    mulM(kHi, kLo);
    mulM(outHi, (outLo ^ (outHi >>> 15)) >>> 0); // k ^= k >> 47; k *= m
    mulM((hHi ^ outHi) >>> 0, (hLo ^ outLo) >>> 0); // h ^= k; h *= m
    hHi = outHi;
    hLo = outLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) {
      const b = str ? key.charCodeAt(blocks + j) & 0xff : key[blocks + j]!;
      if (j >= 4) hHi = (hHi ^ (b << ((j - 4) * 8))) >>> 0;
      else hLo = (hLo ^ (b << (j * 8))) >>> 0;
    }
    mulM(hHi, hLo);
    hHi = outHi;
    hLo = outLo;
  }
  mulM(hHi, (hLo ^ (hHi >>> 15)) >>> 0); // h ^= h >> 47; h *= m
  hashHi = outHi;
  hashLo = (outLo ^ (outHi >>> 15)) >>> 0; // h ^= h >> 47
}

/**
 * MurmurHash64A of the bytes of binary string or byte array `key` with a 32-bit `seed`, as
 * `[high 32 bits, low 32 bits]`.
 */
export function murmurHash64A(key: string | Uint8Array, seed: number): [number, number] {
  murmurInto(key, seed);
  return [hashHi, hashLo];
}

/** Register chosen by the last {@link patLenInto}. */
let patIndex = 0;
/** Register value computed by the last {@link patLenInto}. */
let patCount = 0;

/** {@link patLen} into `patIndex` / `patCount`, without allocating. */
function patLenInto(ele: string | Uint8Array): void {
  murmurInto(ele, SEED);
  const hi = hashHi;
  const lo = hashLo;
  patIndex = lo & P_MASK;
  // hash >> 14, with bit 50 forced on so the count stops at Q + 1.
  const rLo = ((lo >>> P) | (hi << (32 - P))) >>> 0;
  const rHi = ((hi >>> P) | (1 << (Q - 32))) >>> 0;
  if (rLo !== 0) patCount = 32 - Math.clz32(rLo & -rLo);
  else patCount = 64 - Math.clz32(rHi & -rHi);
}

/**
 * Register index and value for an element (Redis `hllPatLen`): the low 14 bits of the hash
 * choose the register; the value is 1 + the number of trailing zeros of the other 50 bits.
 */
export function patLen(ele: string | Uint8Array): { index: number; count: number } {
  patLenInto(ele);
  return { index: patIndex, count: patCount };
}

// --- Header -------------------------------------------------------------------------------

/**
 * Whether `b` looks like an HLL to Redis (`isHLLObjectOrReply`): at least a header, the
 * `HYLL` magic, a known encoding, and the exact size when dense. Sparse contents are only
 * checked when used.
 */
export function isHll(b: Uint8Array): boolean {
  if (b.length < HLL_HDR_SIZE) return false;
  if (b[0] !== 72 || b[1] !== 89 || b[2] !== 76 || b[3] !== 76) return false;
  const enc = b[4]!;
  if (enc > HLL_SPARSE) return false;
  return enc !== HLL_DENSE || b.length === HLL_DENSE_SIZE;
}

/** Encoding byte (`HLL_DENSE` or `HLL_SPARSE`). */
export function encodingOf(b: Uint8Array): number {
  return b[4]!;
}

/**
 * The cached cardinality, or -1 when the cache is stale. A corrupted header can hold any
 * 63-bit value, which is returned exactly (as a bigint past 2^53).
 */
export function cachedCardinality(b: Uint8Array): number | bigint {
  if (b[15]! & 0x80) return -1;
  const hi = b[12]! | (b[13]! << 8) | (b[14]! << 16) | (b[15]! << 24);
  const lo = (b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24)) >>> 0;
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Stores a freshly computed cardinality in the header cache. */
export function setCachedCardinality(b: Uint8Array, card: number): void {
  let v = card;
  for (let i = 8; i < 16; i++) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
}

/** Marks the cached cardinality stale. */
export function invalidateCache(b: Uint8Array): void {
  b[15] = b[15]! | 0x80;
}

/** A new empty HLL: sparse, one XZERO opcode covering every register, cache valid at 0. */
export function createHll(): RawString {
  const raw = new RawString("HYLL", HLL_HDR_SIZE + 2);
  const b = raw.bytes;
  b.fill(0, 4, HLL_HDR_SIZE);
  b[4] = HLL_SPARSE;
  let p = HLL_HDR_SIZE;
  for (let left = HLL_REGISTERS; left > 0;) {
    const run = Math.min(left, SPARSE_XZERO_MAX_LEN);
    b[p++] = 0x40 | ((run - 1) >> 8);
    b[p++] = (run - 1) & 0xff;
    left -= run;
  }
  raw.length = p;
  return raw;
}

// --- Dense registers ----------------------------------------------------------------------

/** Register `i` of a dense HLL (bytes past the end read as zero, like Redis's terminator). */
export function denseGet(b: Uint8Array, i: number): number {
  const bit = i * 6;
  const byte = HLL_HDR_SIZE + (bit >> 3);
  const fb = bit & 7;
  const b0 = b[byte]!;
  const b1 = byte + 1 < b.length ? b[byte + 1]! : 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
}

function denseWrite(b: Uint8Array, i: number, val: number): void {
  const bit = i * 6;
  const byte = HLL_HDR_SIZE + (bit >> 3);
  const fb = bit & 7;
  b[byte] = (b[byte]! & ~(REGISTER_MAX << fb)) | (val << fb);
  if (byte + 1 < b.length) {
    b[byte + 1] = (b[byte + 1]! & ~(REGISTER_MAX >> (8 - fb))) | (val >> (8 - fb));
  }
}

/** Raises register `i` of a dense HLL to `count`; returns 1 when it changed, else 0. */
export function denseSet(b: Uint8Array, i: number, count: number): number {
  if (count <= denseGet(b, i)) return 0;
  denseWrite(b, i, count);
  return 1;
}

// --- Sparse representation ----------------------------------------------------------------

function isZero(op: number): boolean {
  return (op & 0xc0) === 0;
}

function isXZero(op: number): boolean {
  return (op & 0xc0) === 0x40;
}

function valValue(op: number): number {
  return ((op >> 2) & 0x1f) + 1;
}

function valLen(op: number): number {
  return (op & 3) + 1;
}

function valOp(value: number, len: number): number {
  return 0x80 | ((value - 1) << 2) | (len - 1);
}

/**
 * Length of the XZERO opcode at `p`. When a corrupt string ends in the middle of one, its
 * second byte is the slot just past the end, which Redis reads from its buffer too (see
 * {@link sparseSet}).
 */
function xzeroLen(b: Uint8Array, p: number): number {
  return (((b[p]! & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1;
}

/** Appends a run of `len` zero registers as ZERO or XZERO to `seq`. */
function pushZeros(seq: number[], len: number): void {
  if (len > SPARSE_ZERO_MAX_LEN) seq.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
  else seq.push(len - 1);
}

/**
 * Converts a sparse HLL to dense in place (`hllSparseToDense`), keeping the header (magic,
 * cache, unused bytes). Returns false, leaving it untouched, when the opcodes do not cover
 * exactly 16384 registers.
 */
export function sparseToDense(raw: RawString): boolean {
  const src = raw.bytes; // read past `length` too: see xzeroLen
  if (src[4] === HLL_DENSE) return true;
  const end = raw.length;
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  dense.set(src.subarray(0, HLL_HDR_SIZE));
  dense[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = src[p]!;
    if (isZero(op)) {
      idx += (op & 0x3f) + 1;
      p++;
    } else if (isXZero(op)) {
      idx += xzeroLen(src, p);
      p += 2;
    } else {
      let runlen = valLen(op);
      const v = valValue(op);
      if (runlen + idx > HLL_REGISTERS) return false;
      while (runlen-- > 0) denseWrite(dense, idx++, v);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  raw.bytes = dense;
  raw.length = HLL_DENSE_SIZE;
  return true;
}

/** Promotes to dense and sets the register there; -1 when the sparse form is corrupt. */
function promote(raw: RawString, index: number, count: number): number {
  if (!sparseToDense(raw)) return -1;
  denseSet(raw.bytes, index, count);
  return 1;
}

/**
 * Raises register `index` of a sparse HLL to `count` (`hllSparseSet`): 1 when it changed,
 * 0 when not, -1 when the opcodes are corrupt. Promotes to dense when the value does not fit
 * a VAL opcode or the string would grow past `maxBytes`.
 */
export function sparseSet(raw: RawString, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(raw, index, count);
  // A split grows the opcodes by at most 3 bytes (XZERO → XZERO VAL XZERO). Growing keeps
  // the byte past the end, as Redis's buffer does (it can matter for corrupt strings).
  const slot = raw.bytes[raw.length] ?? 0;
  raw.reserve(raw.length + 4);
  const b = raw.bytes;
  b[raw.length] = slot;
  let end = raw.length;
  const sparse = HLL_HDR_SIZE;

  // Step 1: find the opcode covering the register.
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = b[p]!;
    let oplen = 1;
    if (isZero(op)) span = (op & 0x3f) + 1;
    else if (op & 0x80) span = valLen(op);
    else {
      span = xzeroLen(b, p);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  const op = b[p]!;
  const zero = isZero(op);
  const xzero = isXZero(op);
  const next = xzero ? p + 2 : p + 1;
  const runlen = zero ? (op & 0x3f) + 1 : xzero ? xzeroLen(b, p) : valLen(op);

  // Step 2: updates that need no split.
  let done = false;
  if (!zero && !xzero) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      done = true;
    }
  }
  if (!done && zero && runlen === 1) {
    b[p] = valOp(count, 1);
    done = true;
  }

  // Step 3: split the run into [before] VAL(count) [after].
  if (!done) {
    const seq: number[] = [];
    const last = first + span - 1;
    if (zero || xzero) {
      if (index !== first) pushZeros(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(seq, last - index);
    } else {
      const cur = valValue(op);
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    const delta = seq.length - (xzero ? 2 : 1);
    if (delta > 0 && raw.length + delta > maxBytes) return promote(raw, index, count);
    if (delta !== 0 && next < end) b.copyWithin(next + delta, next, end);
    end += delta;
    // Redis sets the new length (zeroing the byte past it) before copying the opcodes in:
    // when the run was an XZERO cut short by the end of a corrupt string, the last opcode
    // byte lands past the end, where the next read of that XZERO finds it again.
    b[end] = 0;
    for (let i = 0; i < seq.length; i++) b[p + i] = seq[i]!;
  }

  // Step 4: merge neighbouring VALs of equal value, scanning a few opcodes from the one
  // before the change.
  p = prev >= 0 ? prev : sparse;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const o = b[p]!;
    if (isXZero(o)) {
      p += 2;
      continue;
    }
    if (isZero(o)) {
      p++;
      continue;
    }
    if (p + 1 < end && b[p + 1]! & 0x80) {
      const v = valValue(o);
      if (v === valValue(b[p + 1]!)) {
        const len = valLen(o) + valLen(b[p + 1]!);
        if (len <= SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v, len);
          b.copyWithin(p, p + 1, end + 1);
          end--;
          b[end] = 0;
          b[end + 1] = 0;
          continue;
        }
      }
    }
    p++;
  }
  raw.length = end;
  invalidateCache(b);
  return 1;
}

/**
 * Adds an element (`hllAdd`): 1 when a register changed, 0 when not, -1 when the HLL is
 * corrupt.
 */
export function hllAdd(raw: RawString, ele: string | Uint8Array, sparseMaxBytes: number): number {
  patLenInto(ele);
  const index = patIndex;
  const count = patCount;
  const enc = raw.bytes[4];
  if (enc === HLL_DENSE) return denseSet(raw.bytes, index, count);
  if (enc === HLL_SPARSE) return sparseSet(raw, index, count, sparseMaxBytes);
  return -1;
}

// --- Estimation ---------------------------------------------------------------------------

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** Cardinality estimate from a histogram of register values. */
function estimate(histo: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[Q + 1]!) / m);
  for (let j = Q; j >= 1; j--) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  return Math.round(ALPHA_INF * m * m / z);
}

/**
 * Estimated cardinality of a (header-checked) HLL of `len` bytes at the start of `b`, or -1
 * when its sparse opcodes do not cover exactly 16384 registers.
 */
export function hllCount(b: Uint8Array, len: number = b.length): number {
  const histo = new Int32Array(64);
  if (b[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) histo[denseGet(b, i)]!++;
    return estimate(histo);
  }
  const end = len;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    let run: number;
    if (isZero(op)) {
      run = (op & 0x3f) + 1;
      histo[0]! += run;
      p++;
    } else if (isXZero(op)) {
      run = xzeroLen(b, p);
      histo[0]! += run;
      p += 2;
    } else {
      run = valLen(op);
      histo[valValue(op)]! += run;
      p++;
    }
    idx += run;
  }
  if (idx !== HLL_REGISTERS) return -1;
  return estimate(histo);
}

/** Estimated cardinality of plain registers (one byte each), as PFCOUNT of several keys. */
export function rawCount(registers: Uint8Array): number {
  const histo = new Int32Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[registers[i]!]!++;
  return estimate(histo);
}

/**
 * Folds an HLL into `max` (16384 one-byte registers) by taking per-register maxima
 * (`hllMerge`). Returns false when sparse opcodes are corrupt.
 */
export function mergeInto(max: Uint8Array, b: Uint8Array, len: number = b.length): boolean {
  if (b[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(b, i);
      if (v > max[i]!) max[i] = v;
    }
    return true;
  }
  const end = len;
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    if (isZero(op)) {
      i += (op & 0x3f) + 1;
      p++;
    } else if (isXZero(op)) {
      i += xzeroLen(b, p);
      p += 2;
    } else {
      let runlen = valLen(op);
      const v = valValue(op);
      if (runlen + i > HLL_REGISTERS) return false;
      while (runlen-- > 0) {
        if (v > max[i]!) max[i] = v;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** The opcodes of a sparse HLL as PFDEBUG DECODE prints them (`z:N Z:N v:V,N`). */
export function decodeSparse(b: Uint8Array, len: number = b.length): string {
  const parts: string[] = [];
  const end = len;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    if (isZero(op)) {
      parts.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${xzeroLen(b, p)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(" ");
}

// --- Self test ----------------------------------------------------------------------------

/**
 * PFSELFTEST: checks dense register packing with random values, then adds distinct elements
 * to a sparse and a dense HLL, checking at every power of ten that the sparse form is still
 * used while small, that both agree, and that the error stays within six standard errors.
 * Returns null on success or the failure text (without error code).
 */
export function selfTest(sparseMaxBytes: number, elements = 1_000_000): string | null {
  const regs = new Uint8Array(HLL_DENSE_SIZE);
  const vals = new Uint8Array(HLL_REGISTERS);
  for (let round = 0; round < 100; round++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = Math.floor(Math.random() * (REGISTER_MAX + 1));
      vals[i] = v;
      denseWrite(regs, i, v);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const got = denseGet(regs, i);
      if (got !== vals[i]) {
        return `TESTFAILED Register error at index ${i}, read ${got} expected ${vals[i]}`;
      }
    }
  }
  const sparse = createHll();
  const dense = createHll();
  sparseToDense(dense);
  const relErr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedHi = Math.floor(Math.random() * 0x100000000) >>> 0;
  const seedLo = Math.floor(Math.random() * 0x100000000) >>> 0;
  const ele = new Uint8Array(8);
  const view = new DataView(ele.buffer);
  let checkpoint = 1;
  for (let j = 1; j <= elements; j++) {
    view.setUint32(0, (j ^ seedLo) >>> 0, true);
    view.setUint32(4, seedHi, true);
    hllAdd(sparse, ele, sparseMaxBytes);
    hllAdd(dense, ele, sparseMaxBytes);
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && sparse.bytes[4] !== HLL_SPARSE) {
      return "TESTFAILED sparse encoding not used";
    }
    const card = hllCount(dense.view());
    if (card !== hllCount(sparse.view())) return "TESTFAILED dense/sparse disagree";
    // Cardinality 10 can legitimately be off by one through a register collision.
    const maxErr = j === 10 ? 1 : Math.ceil(relErr * 6 * checkpoint);
    const absErr = Math.abs(checkpoint - card);
    if (absErr > maxErr) {
      return `TESTFAILED Too big error. card:${checkpoint} abserr:${absErr}`;
    }
    checkpoint *= 10;
  }
  return null;
}
