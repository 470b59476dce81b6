/**
 * LZF, the compression Redis applies to RDB strings longer than 20 bytes (`rdbcompression`).
 *
 * The stream is a sequence of literal runs (control byte `000LLLLL`: L+1 literal bytes follow)
 * and back references (`LLLooooo oooooooo`, with an extra length byte when L is 7: copy
 * L+2 bytes from `offset+1` bytes back). The compressor is a small greedy hash-chain-free
 * matcher; its output differs from liblzf's byte for byte but any LZF decoder (Redis's
 * included) reads it.
 *
 * @module
 */

const HLOG = 14;
const HSIZE = 1 << HLOG;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

const table = new Int32Array(HSIZE);

/**
 * Compresses `input` into at most `maxOut` bytes; returns the compressed bytes, or null when
 * they would not fit (Redis then stores the string uncompressed).
 */
export function lzfCompress(input: Uint8Array, maxOut: number): Uint8Array | null {
  const n = input.length;
  if (n === 0 || maxOut <= 0) return null;
  const out = new Uint8Array(maxOut + MAX_LIT + 4);
  table.fill(-1);
  let op = 1; // out[0] is the control byte of the first literal run
  let lit = 0;
  let ip = 0;
  const flushCheck = () => op <= maxOut;
  while (ip < n - 2) {
    const h = (((input[ip]! << 16) | (input[ip + 1]! << 8) | input[ip + 2]!) * 2654435761) >>>
      (32 - HLOG);
    const ref = table[h]!;
    table[h] = ip;
    const off = ip - ref - 1;
    if (
      ref >= 0 && off < MAX_OFF && input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]
    ) {
      let len = 3;
      const maxLen = Math.min(MAX_REF, n - ip);
      while (len < maxLen && input[ref + len] === input[ip + len]) len++;
      // Close the pending literal run (or drop its unused control byte).
      if (lit > 0) out[op - lit - 1] = lit - 1;
      else op--;
      const l = len - 2;
      if (l < 7) out[op++] = (l << 5) | (off >> 8);
      else {
        out[op++] = (7 << 5) | (off >> 8);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      op++; // control byte of the next literal run
      lit = 0;
      if (!flushCheck()) return null;
      // Index the positions inside the match so later data can refer to them.
      const end = ip + len;
      for (ip++; ip < end && ip < n - 2; ip++) {
        const h2 = (((input[ip]! << 16) | (input[ip + 1]! << 8) | input[ip + 2]!) * 2654435761) >>>
          (32 - HLOG);
        table[h2] = ip;
      }
      ip = end;
      continue;
    }
    out[op++] = input[ip++]!;
    lit++;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = MAX_LIT - 1;
      lit = 0;
      op++;
    }
    if (!flushCheck()) return null;
  }
  while (ip < n) {
    out[op++] = input[ip++]!;
    lit++;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = MAX_LIT - 1;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  if (op > maxOut) return null;
  return out.slice(0, op);
}

/** An LZF stream that does not decode to the announced length. */
export class LzfError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "LzfError";
  }
}

/** Decompresses `input` into exactly `outLen` bytes; throws {@link LzfError} if corrupt. */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  const n = input.length;
  while (ip < n) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (op + len > outLen || ip + len > n) throw new LzfError("LZF literal run overflows");
      out.set(input.subarray(ip, ip + len), op);
      op += len;
      ip += len;
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= n) throw new LzfError("LZF stream truncated");
      len += input[ip++]!;
    }
    if (ip >= n) throw new LzfError("LZF stream truncated");
    const ref = op - ((ctrl & 0x1f) << 8) - input[ip++]! - 1;
    len += 2;
    if (ref < 0) throw new LzfError("LZF back reference before start");
    if (op + len > outLen) throw new LzfError("LZF back reference overflows");
    // Byte by byte: a reference may overlap the bytes it produces (run-length style).
    for (let i = 0; i < len; i++) out[op + i] = out[ref + i]!;
    op += len;
  }
  if (op !== outLen) throw new LzfError("LZF stream shorter than announced");
  return out;
}
