/**
 * Bitmap commands: strings as bit arrays (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD,
 * BITFIELD_RO).
 *
 * Writes turn the value into a {@link RawString} and edit its bytes in place, growing it
 * geometrically with zero bytes, so a loop of SETBITs costs O(1) per call. Reads work on
 * either representation without copying. The algorithms live in src/types/bitmap.ts.
 *
 * @module
 */
import { parseInteger } from "../resp/numbers.ts";
import { RawString } from "../store/value.ts";
import {
  type BitOp,
  bitop,
  type BitSource,
  clampRange,
  countBits,
  fieldAdd,
  type FieldType,
  findBit,
  getBit,
  getSignedField,
  getUnsignedField,
  type Overflow,
  parseFieldType,
  setBit,
  setField,
} from "../types/bitmap.ts";
import { asString, int64Arg, isToken, lookupRead, lookupWrite, written } from "./args.ts";
import type { Client } from "./context.ts";
import {
  type ArgSpec,
  type CommandSpec,
  Errors,
  FIRST_KEY as KEY_RANGE,
  KEY_ARG as KEY,
  ReplyError,
} from "./spec.ts";

const BIT_OFFSET_ERR = "ERR bit offset is not an integer or out of range";
const BIT_VALUE_ERR = "ERR bit is not an integer or out of range";
const FIELD_TYPE_ERR =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

/** The bytes of a string-type value, without copying. */
function source(v: string | RawString): BitSource {
  return typeof v === "string" ? v : v.view();
}

/**
 * Parses a bit offset (Redis `getBitOffsetFromArgument`): a strict 64-bit decimal, or with
 * `fieldBits` > 0 also `#N` meaning `N * fieldBits` (multiplied in 64-bit two's complement,
 * as Redis does). Negative offsets and offsets whose byte is at or past `proto-max-bulk-len`
 * are rejected.
 */
function bitOffset(c: Client, arg: string, fieldBits = 0): number {
  const hash = fieldBits > 0 && arg.charCodeAt(0) === 35; /* # */
  const v = parseInteger(hash ? arg.slice(1) : arg);
  if (v === null) throw new ReplyError(BIT_OFFSET_ERR);
  const limit = c.server.config.getNumber("proto-max-bulk-len");
  if (!hash && typeof v === "number") {
    if (v < 0 || Math.floor(v / 8) >= limit) throw new ReplyError(BIT_OFFSET_ERR);
    return v;
  }
  let off = BigInt(v);
  if (hash) off = BigInt.asIntN(64, off * BigInt(fieldBits));
  if (off < 0n || off >> 3n >= BigInt(limit)) throw new ReplyError(BIT_OFFSET_ERR);
  return Number(off);
}

/**
 * Redis's `lookupStringForBitCommand`: the key's string as a {@link RawString} holding at
 * least bit `maxBit`, created (zero-filled) when missing. `grown` tells whether the key was
 * created or lengthened, which counts as a change even when no bit flips.
 */
function stringForWrite(
  c: Client,
  key: string,
  maxBit: number,
): { raw: RawString; grown: boolean } {
  const need = Math.floor(maxBit / 8) + 1;
  const v = lookupWrite(c, key);
  if (v === undefined) {
    const raw = new RawString("", need);
    raw.length = need;
    c.db.set(key, raw);
    return { raw, grown: true };
  }
  const s = asString(v);
  let raw: RawString;
  if (typeof s === "string") {
    raw = new RawString(s, Math.max(0, need - s.length));
    c.db.replace(key, raw);
  } else raw = s;
  if (raw.length >= need) return { raw, grown: false };
  raw.reserve(need);
  raw.bytes.fill(0, raw.length, need);
  raw.length = need;
  return { raw, grown: true };
}

/** Parses `BYTE` / `BIT`; returns whether the unit is bits. */
function parseUnit(arg: string): boolean {
  if (isToken(arg, "bit")) return true;
  if (isToken(arg, "byte")) return false;
  throw new ReplyError(Errors.syntax);
}

// --- SETBIT / GETBIT ----------------------------------------------------------------------

function setbitCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const offset = bitOffset(c, argv[2]!);
  const on = parseInteger(argv[3]!);
  if (on !== 0 && on !== 1) throw new ReplyError(BIT_VALUE_ERR);
  const { raw, grown } = stringForWrite(c, key, offset);
  const old = setBit(raw.bytes, offset, on);
  if (grown || old !== on) written(c, key, "setbit", "$");
  c.w.int(old);
}

function getbitCommand(c: Client, argv: string[]): void {
  const offset = bitOffset(c, argv[2]!);
  const v = lookupRead(c, argv[1]!);
  if (v === undefined) {
    c.w.int(0);
    return;
  }
  c.w.int(getBit(source(asString(v)), offset));
}

// --- BITCOUNT / BITPOS --------------------------------------------------------------------

function bitcountCommand(c: Client, argv: string[]): void {
  const v = lookupRead(c, argv[1]!);
  if (v === undefined) {
    c.w.int(0);
    return;
  }
  const src = source(asString(v));
  const argc = argv.length;
  const strlen = src.length;
  let startBit: number;
  let endBit: number;
  if (argc === 4 || argc === 5) {
    const s = int64Arg(argv[2]!);
    const e = int64Arg(argv[3]!);
    if (s < 0 && e < 0 && s > e) {
      c.w.int(0);
      return;
    }
    const isBit = argc === 5 && parseUnit(argv[4]!);
    const [start, end] = clampRange(Number(s), Number(e), isBit ? strlen * 8 : strlen);
    if (start > end) {
      c.w.int(0);
      return;
    }
    startBit = isBit ? start : start * 8;
    endBit = isBit ? end : end * 8 + 7;
  } else if (argc === 2) {
    startBit = 0;
    endBit = strlen * 8 - 1;
  } else {
    throw new ReplyError(Errors.syntax);
  }
  c.w.int(countBits(src, startBit, endBit));
}

function bitposCommand(c: Client, argv: string[]): void {
  const bit = int64Arg(argv[2]!);
  if (bit !== 0 && bit !== 1) throw new ReplyError("ERR The bit argument must be 1 or 0.");
  const v = lookupRead(c, argv[1]!);
  if (v === undefined) {
    // A missing key is an endless run of zero bits.
    c.w.int(bit ? -1 : 0);
    return;
  }
  const src = source(asString(v));
  const argc = argv.length;
  const strlen = src.length;
  let endGiven = false;
  let startBit: number;
  let endBit: number;
  if (argc >= 4 && argc <= 6) {
    const s = Number(int64Arg(argv[3]!));
    const isBit = argc === 6 && parseUnit(argv[5]!);
    let e: number;
    if (argc >= 5) {
      e = Number(int64Arg(argv[4]!));
      endGiven = true;
    } else e = isBit ? strlen * 8 + 7 : strlen - 1;
    const [start, end] = clampRange(s, e, isBit ? strlen * 8 : strlen);
    if (start > end) {
      c.w.int(-1);
      return;
    }
    startBit = isBit ? start : start * 8;
    endBit = isBit ? end : end * 8 + 7;
  } else if (argc === 3) {
    if (strlen === 0) {
      c.w.int(-1);
      return;
    }
    startBit = 0;
    endBit = strlen * 8 - 1;
  } else {
    throw new ReplyError(Errors.syntax);
  }
  const pos = findBit(src, bit, startBit, endBit);
  if (pos !== -1 || bit === 1 || endGiven) {
    c.w.int(pos);
    return;
  }
  // Looking for a clear bit with no explicit end: the string is seen as padded with zeros,
  // so the answer is the first bit after the range's last byte.
  c.w.int((Math.floor(endBit / 8) + 1) * 8);
}

// --- BITOP --------------------------------------------------------------------------------

function bitopCommand(c: Client, argv: string[]): void {
  const opName = argv[1]!.toLowerCase();
  if (opName !== "and" && opName !== "or" && opName !== "xor" && opName !== "not") {
    throw new ReplyError(Errors.syntax);
  }
  const op: BitOp = opName;
  if (op === "not" && argv.length !== 4) {
    throw new ReplyError("ERR BITOP NOT must be called with a single source key.");
  }
  const dest = argv[2]!;
  const sources: (BitSource | null)[] = [];
  for (let j = 3; j < argv.length; j++) {
    const v = lookupRead(c, argv[j]!);
    sources.push(v === undefined ? null : source(asString(v)));
  }
  const out = bitop(op, sources);
  if (out.length > 0) {
    const raw = new RawString("", 0);
    raw.bytes = out;
    raw.length = out.length;
    c.db.set(dest, raw);
    written(c, dest, "set", "$");
  } else if (c.db.delete(dest)) {
    written(c, dest, "del", "g");
  }
  c.w.int(out.length);
}

// --- BITFIELD -----------------------------------------------------------------------------

/** One parsed BITFIELD operation. */
interface FieldOp {
  kind: "get" | "set" | "incrby";
  type: FieldType;
  offset: number;
  /** SET value or INCRBY increment. */
  arg: bigint;
  overflow: Overflow;
}

/** Parses BITFIELD's operations, checking everything before anything runs. */
function parseFieldOps(c: Client, argv: string[]): FieldOp[] {
  const ops: FieldOp[] = [];
  let overflow: Overflow = "wrap";
  const argc = argv.length;
  for (let j = 2; j < argc; j++) {
    const remaining = argc - j - 1;
    const sub = argv[j]!.toLowerCase();
    let kind: FieldOp["kind"];
    if (sub === "get" && remaining >= 2) kind = "get";
    else if (sub === "set" && remaining >= 3) kind = "set";
    else if (sub === "incrby" && remaining >= 3) kind = "incrby";
    else if (sub === "overflow" && remaining >= 1) {
      const o = argv[++j]!.toLowerCase();
      if (o !== "wrap" && o !== "sat" && o !== "fail") {
        throw new ReplyError("ERR Invalid OVERFLOW type specified");
      }
      overflow = o;
      continue;
    } else throw new ReplyError(Errors.syntax);
    const type = parseFieldType(argv[j + 1]!);
    if (type === null) throw new ReplyError(FIELD_TYPE_ERR);
    const offset = bitOffset(c, argv[j + 2]!, type.bits);
    let arg = 0n;
    if (kind !== "get") arg = BigInt(int64Arg(argv[j + 3]!));
    ops.push({ kind, type, offset, arg, overflow });
    j += kind === "get" ? 2 : 3;
  }
  return ops;
}

function readField(src: BitSource, op: FieldOp): bigint {
  return op.type.signed
    ? getSignedField(src, op.offset, op.type.bits)
    : getUnsignedField(src, op.offset, op.type.bits);
}

function bitfieldGeneric(c: Client, argv: string[], readOnlyCommand: boolean): void {
  const key = argv[1]!;
  const ops = parseFieldOps(c, argv);
  let maxBit = -1;
  for (const op of ops) {
    if (op.kind !== "get") maxBit = Math.max(maxBit, op.offset + op.type.bits - 1);
  }
  if (maxBit < 0) {
    const v = lookupRead(c, key);
    const src: BitSource = v === undefined ? "" : source(asString(v));
    c.w.array(ops.length);
    for (const op of ops) c.w.int(readField(src, op));
    return;
  }
  if (readOnlyCommand) throw new ReplyError("ERR BITFIELD_RO only supports the GET subcommand");
  const { raw, grown } = stringForWrite(c, key, maxBit);
  let changes = 0;
  c.w.array(ops.length);
  for (const op of ops) {
    const old = readField(raw.view(), op);
    if (op.kind === "get") {
      c.w.int(old);
      continue;
    }
    const r = op.kind === "incrby"
      ? fieldAdd(op.type, old, op.arg, op.overflow)
      : fieldAdd(op.type, op.arg, 0n, op.overflow);
    if (r.overflowed && op.overflow === "fail") {
      c.w.nullBulk();
      continue;
    }
    c.w.int(op.kind === "incrby" ? r.value : old);
    setField(raw.bytes, op.offset, op.type.bits, r.value);
    if (grown || r.value !== old) changes++;
  }
  if (changes > 0) written(c, key, "setbit", "$", changes);
}

// --- Declarations -------------------------------------------------------------------------

const UNIT_HISTORY: [string, string][] = [["7.0.0", "Added the `BYTE|BIT` option."]];
const INDEX_UNIT: ArgSpec = {
  name: "index_unit",
  type: "oneof",
  since: "7.0.0",
  optional: true,
  args: [
    { name: "byte", type: "pure-token", token: "BYTE" },
    { name: "bit", type: "pure-token", token: "BIT" },
  ],
};
const ENCODING_OFFSET: ArgSpec[] = [
  { name: "encoding", type: "string" },
  { name: "offset", type: "integer" },
];

/** Commands of the bitmap group. */
export const bitCommands: CommandSpec[] = [
  {
    name: "setbit",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "update"],
    group: "bitmap",
    since: "2.2.0",
    summary: "Sets or clears the bit at offset in the string value stored at key",
    complexity: "O(1)",
    args: [KEY, { name: "offset", type: "integer" }, { name: "value", type: "integer" }],
    run: setbitCommand,
  },
  {
    name: "getbit",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RO", "access"],
    group: "bitmap",
    since: "2.2.0",
    summary: "Returns the bit value at offset in the string value stored at key",
    complexity: "O(1)",
    args: [KEY, { name: "offset", type: "integer" }],
    run: getbitCommand,
  },
  {
    name: "bitcount",
    arity: -2,
    flags: ["readonly"],
    keys: KEY_RANGE,
    keyFlags: ["RO", "access"],
    group: "bitmap",
    since: "2.6.0",
    summary: "Count set bits in a string",
    complexity: "O(N)",
    history: UNIT_HISTORY,
    args: [
      KEY,
      {
        name: "index",
        type: "block",
        optional: true,
        args: [{ name: "start", type: "integer" }, { name: "end", type: "integer" }, INDEX_UNIT],
      },
    ],
    run: bitcountCommand,
  },
  {
    name: "bitpos",
    arity: -3,
    flags: ["readonly"],
    keys: KEY_RANGE,
    keyFlags: ["RO", "access"],
    group: "bitmap",
    since: "2.8.7",
    summary: "Find first bit set or clear in a string",
    complexity: "O(N)",
    history: UNIT_HISTORY,
    args: [
      KEY,
      { name: "bit", type: "integer" },
      {
        name: "index",
        type: "block",
        optional: true,
        args: [
          { name: "start", type: "integer" },
          {
            name: "end_index",
            type: "block",
            optional: true,
            args: [{ name: "end", type: "integer" }, INDEX_UNIT],
          },
        ],
      },
    ],
    run: bitposCommand,
  },
  {
    name: "bitop",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 2, last: -1, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ["RO", "access"],
        begin: { index: 3 },
        find: { lastKey: -1, keyStep: 1, limit: 0 },
      },
    ],
    group: "bitmap",
    since: "2.6.0",
    summary: "Perform bitwise operations between strings",
    complexity: "O(N)",
    args: [
      { name: "operation", type: "string" },
      { name: "destkey", type: "key", keySpecIndex: 0 },
      { name: "key", type: "key", keySpecIndex: 1, multiple: true },
    ],
    run: bitopCommand,
  },
  {
    name: "bitfield",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: KEY_RANGE,
    keySpecs: [{
      notes: "This command allows both access and modification of the key",
      flags: ["RW", "access", "update", "variable_flags"],
      begin: { index: 1 },
      find: { lastKey: 0, keyStep: 1, limit: 0 },
      variableFlags: (argv) =>
        argv.slice(2).some((a) => isToken(a, "set") || isToken(a, "incrby"))
          ? ["RW", "access", "update"]
          : ["RO", "access"],
    }],
    group: "bitmap",
    since: "3.2.0",
    summary: "Perform arbitrary bitfield integer operations on strings",
    complexity: "O(1) for each subcommand specified",
    args: [
      KEY,
      {
        name: "operation",
        type: "oneof",
        optional: true,
        multiple: true,
        args: [
          { name: "encoding_offset", type: "block", token: "GET", args: ENCODING_OFFSET },
          {
            name: "write",
            type: "block",
            args: [
              {
                name: "wrap_sat_fail",
                type: "oneof",
                token: "OVERFLOW",
                optional: true,
                args: [
                  { name: "wrap", type: "pure-token", token: "WRAP" },
                  { name: "sat", type: "pure-token", token: "SAT" },
                  { name: "fail", type: "pure-token", token: "FAIL" },
                ],
              },
              {
                name: "write_operation",
                type: "oneof",
                args: [
                  {
                    name: "encoding_offset_value",
                    type: "block",
                    token: "SET",
                    args: [...ENCODING_OFFSET, { name: "value", type: "integer" }],
                  },
                  {
                    name: "encoding_offset_increment",
                    type: "block",
                    token: "INCRBY",
                    args: [...ENCODING_OFFSET, { name: "increment", type: "integer" }],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    run: (c, argv) => bitfieldGeneric(c, argv, false),
  },
  {
    name: "bitfield_ro",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RO", "access"],
    group: "bitmap",
    since: "6.0.0",
    summary:
      "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
    complexity: "O(1) for each subcommand specified",
    args: [
      KEY,
      {
        name: "encoding_offset",
        type: "block",
        token: "GET",
        optional: true,
        multiple: true,
        multipleToken: true,
        args: ENCODING_OFFSET,
      },
    ],
    run: (c, argv) => bitfieldGeneric(c, argv, true),
  },
];
