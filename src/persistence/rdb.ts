/**
 * The RDB format as Redis 7.0 writes it (version 10): file encoding/decoding and the value
 * encoding shared with DUMP/RESTORE.
 *
 * File layout: `REDIS0010`, AUX fields (redis-ver, redis-bits, ctime, used-mem, aof-base...),
 * then per non-empty database SELECTDB + RESIZEDB and its keys (each optionally preceded by
 * EXPIRETIME_MS and IDLE/FREQ), then EOF and the CRC-64 of everything before it.
 *
 * Values are written with the type codes Redis 7.0 writes: strings (integer-encoded when
 * short canonical integers, LZF-compressed past 20 bytes when `rdbcompression`), lists as
 * QUICKLIST_2 of listpack nodes, sets as INTSET or plain SET, hashes as HASH_LISTPACK or
 * plain HASH, sorted sets as ZSET_LISTPACK or ZSET_2 (binary double scores), streams as
 * STREAM_LISTPACKS_2 (one listpack per stream node, see the Streams section). Loading also
 * reads the older encodings Redis 7.0 reads (ziplists, quicklist v1, zipmap, text-score
 * zsets, second-precision expiries, Redis 5-6 STREAM_LISTPACKS), converting each value to the
 * encoding the type's thresholds call for; streams keep the node layout they were saved with.
 *
 * @module
 */
import type { Db, Keyspace } from "../store/keyspace.ts";
import { isIntEncodable, RawString, type Value } from "../store/value.ts";
import { listpackScoreText, ZSetValue } from "../types/zset.ts";
import { listpackEntrySize } from "../types/list.ts";
import { ByteReader, ByteWriter, FormatError } from "./byte_io.ts";
import { Crc64, crc64Bytes } from "./crc64.ts";
import { lzfCompress, lzfDecompress } from "./lzf.ts";
import {
  decodeIntset,
  decodeListpack,
  decodeZiplist,
  decodeZipmap,
  encodeIntset,
  encodeListpack,
} from "./packed.ts";
import {
  hashEntries,
  hashFrom,
  listFrom,
  listItems,
  setFrom,
  setMembers,
  streamFromNodes,
  streamOf,
} from "./types.ts";
import type { NodeEntry, NodeLayout, StreamValue } from "../types/stream.ts";
import { idFromParts, MIN_ID, msPart, seqPart, type StreamId } from "../types/stream_id.ts";
import { RdbError } from "./errors.ts";

export { RdbError };

/** The RDB version written (Redis 7.0). */
export const RDB_VERSION = 10;

/** Value type codes. */
export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
} as const;

/** File opcodes. */
export const RdbOpcode = {
  FUNCTION2: 0xf5,
  FUNCTION: 0xf6,
  MODULE_AUX: 0xf7,
  IDLE: 0xf8,
  FREQ: 0xf9,
  AUX: 0xfa,
  RESIZEDB: 0xfb,
  EXPIRETIME_MS: 0xfc,
  EXPIRETIME: 0xfd,
  SELECTDB: 0xfe,
  EOF: 0xff,
} as const;

const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

/** Quicklist node containers in QUICKLIST_2. */
const NODE_PLAIN = 1;
const NODE_PACKED = 2;

/** Something that reads config parameters by name (the server's `Config`). */
export interface ConfigSource {
  /** A numeric parameter. */
  getNumber(name: string): number;
  /** A boolean parameter. */
  getBool(name: string): boolean;
}

/** How values are written. */
export interface EncodeOptions {
  /** LZF-compress strings longer than 20 bytes (`rdbcompression`). */
  compress: boolean;
  /** `list-max-listpack-size`: items (positive) or a byte class (-1..-5) per quicklist node. */
  listNodeSize: number;
}

/** Encoding options from the server config. */
export function encodeOptions(config: ConfigSource): EncodeOptions {
  return {
    compress: config.getBool("rdbcompression"),
    listNodeSize: config.getNumber("list-max-listpack-size"),
  };
}

// --- Writing ---------------------------------------------------------------------------

/** Writes an RDB length (6-bit, 14-bit, 32-bit or 64-bit form). */
export function writeLength(w: ByteWriter, n: number): void {
  if (n < 64) w.u8(n);
  else if (n < 16384) {
    w.u8(0x40 | (n >> 8));
    w.u8(n & 0xff);
  } else if (n <= 0xffffffff) {
    w.u8(0x80);
    w.u32be(n);
  } else {
    w.u8(0x81);
    w.u64be(n);
  }
}

/**
 * Writes a string: as an 8/16/32-bit integer when it is a short canonical integer, LZF
 * compressed when that saves at least 4 bytes of a string over 20 bytes, else raw.
 */
export function writeString(w: ByteWriter, s: string, compress: boolean): void {
  const n = s.length;
  if (n <= 11 && n > 0 && isIntEncodable(s)) {
    const v = Number(s);
    if (v >= -128 && v <= 127) {
      w.u8(0xc0 | ENC_INT8);
      w.u8(v & 0xff);
      return;
    }
    if (v >= -32768 && v <= 32767) {
      w.u8(0xc0 | ENC_INT16);
      w.u16le(v & 0xffff);
      return;
    }
    if (v >= -2147483648 && v <= 2147483647) {
      w.u8(0xc0 | ENC_INT32);
      w.u32le(v);
      return;
    }
  }
  if (compress && n > 20) {
    const raw = new ByteWriter(n);
    raw.binary(s);
    if (writeCompressed(w, raw.view())) return;
  }
  writeLength(w, n);
  w.binary(s);
}

/** Writes bytes as an RDB string (blobs: listpacks, intsets). */
export function writeBlob(w: ByteWriter, b: Uint8Array, compress: boolean): void {
  if (compress && b.length > 20 && writeCompressed(w, b)) return;
  writeLength(w, b.length);
  w.bytes(b);
}

function writeCompressed(w: ByteWriter, b: Uint8Array): boolean {
  const c = lzfCompress(b, b.length - 4);
  if (c === null) return false;
  w.u8(0xc0 | ENC_LZF);
  writeLength(w, c.length);
  writeLength(w, b.length);
  w.bytes(c);
  return true;
}

/** Largest listpack node, in bytes, for each negative `list-max-listpack-size`. */
const NODE_BYTES = [4096, 8192, 16384, 32768, 65536];
/** Largest node a positive `list-max-listpack-size` may build (Redis's SIZE_SAFETY_LIMIT). */
const NODE_SAFETY_LIMIT = 8192;
/** Listpack header plus end marker. */
const LISTPACK_OVERHEAD = 7;

/**
 * Splits list items into quicklist nodes the way `list-max-listpack-size` bounds a list
 * built by appending (the in-memory node layout is not part of the type API).
 */
function listNodes(items: Iterable<string>, size: number): string[][] {
  const nodes: string[][] = [];
  let cur: string[] = [];
  let bytes = LISTPACK_OVERHEAD;
  const maxBytes = size < 0 ? NODE_BYTES[Math.min(4, -size - 1)]! : NODE_SAFETY_LIMIT;
  const maxCount = size > 0 ? size : Infinity;
  for (const s of items) {
    const cost = listpackEntrySize(s);
    if (cur.length > 0 && (cur.length >= maxCount || bytes + cost > maxBytes)) {
      nodes.push(cur);
      cur = [];
      bytes = LISTPACK_OVERHEAD;
    }
    cur.push(s);
    bytes += cost;
  }
  if (cur.length > 0) nodes.push(cur);
  return nodes;
}

/** The RDB type code `v` is written with. */
export function rdbTypeOf(v: Value): number {
  if (typeof v === "string" || v instanceof RawString) return RdbType.STRING;
  switch (v.type) {
    case "list":
      return RdbType.LIST_QUICKLIST_2;
    case "set":
      return v.encoding() === "intset" ? RdbType.SET_INTSET : RdbType.SET;
    case "hash":
      return v.encoding() === "listpack" ? RdbType.HASH_LISTPACK : RdbType.HASH;
    case "zset":
      return v.encoding() === "listpack" ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
    case "stream":
      return RdbType.STREAM_LISTPACKS_2;
    default:
      throw new RdbError(`Can't serialize a ${v.type} value yet`);
  }
}

/** Writes the value part of `v` (after its type code, which {@link rdbTypeOf} gives). */
export function writeValue(w: ByteWriter, v: Value, opts: EncodeOptions): void {
  if (typeof v === "string") return writeString(w, v, opts.compress);
  if (v instanceof RawString) return writeString(w, v.toString(), opts.compress);
  const type = rdbTypeOf(v);
  switch (type) {
    case RdbType.LIST_QUICKLIST_2: {
      const nodes = listNodes(listItems(v), opts.listNodeSize);
      writeLength(w, nodes.length);
      for (const node of nodes) {
        writeLength(w, NODE_PACKED);
        writeBlob(w, encodeListpack(node), opts.compress);
      }
      return;
    }
    case RdbType.SET_INTSET:
      return writeBlob(w, encodeIntset(setMembers(v)), opts.compress);
    case RdbType.SET: {
      const members = [...setMembers(v)];
      writeLength(w, members.length);
      for (const m of members) writeString(w, m, opts.compress);
      return;
    }
    case RdbType.HASH_LISTPACK: {
      const flat: string[] = [];
      for (const [f, val] of hashEntries(v)) flat.push(f, val);
      return writeBlob(w, encodeListpack(flat), opts.compress);
    }
    case RdbType.HASH: {
      const pairs = [...hashEntries(v)];
      writeLength(w, pairs.length);
      for (const [f, val] of pairs) {
        writeString(w, f, opts.compress);
        writeString(w, val, opts.compress);
      }
      return;
    }
    case RdbType.ZSET_LISTPACK: {
      const flat: string[] = [];
      for (const [m, s] of (v as ZSetValue).entries()) flat.push(m, listpackScoreText(s));
      return writeBlob(w, encodeListpack(flat), opts.compress);
    }
    case RdbType.ZSET_2: {
      // Highest score first, as Redis writes it (its loader then appends at the head).
      const pairs = [...(v as ZSetValue).entries()];
      writeLength(w, pairs.length);
      for (let i = pairs.length - 1; i >= 0; i--) {
        writeString(w, pairs[i]![0], opts.compress);
        w.f64le(pairs[i]![1]);
      }
      return;
    }
    case RdbType.STREAM_LISTPACKS_2:
      return writeStream(w, streamOf(v), opts);
  }
}

// --- Streams ---------------------------------------------------------------------------
//
// A stream (types 15 and 19) is written as: the node count, then per node its key (the
// master ID, 16 bytes big-endian, the radix tree key) and its listpack; the length; the last
// ID (ms and seq as lengths); for type 19 the first ID, the max deleted ID and entries-added;
// then the groups in name order: name, last ID, (type 19) entries-read (-1 as 2^64-1), the
// group PEL (raw 16-byte ID, delivery time as 8 bytes LE ms, delivery count as a length) and
// the consumers in name order (name, seen time as 8 bytes LE ms, the count and raw IDs of
// their PEL).
//
// A node's listpack starts with the master entry: live count, deleted count, the number of
// master fields, the field names and a 0 terminator. Each entry follows as flags (1 deleted,
// 2 same field names as the master), the ms and seq deltas from the master ID (int64), then
// either the values alone (same fields) or the field count and the pairs, and last its
// "lp-count" (the entry's element count before it) so the listpack can be walked backwards.
// Deleted entries keep their data until their whole node goes.

const STREAM_FLAG_DELETED = 1;
const STREAM_FLAG_SAMEFIELDS = 2;

/** Writes an unsigned 64-bit value as an RDB length. */
function writeLength64(w: ByteWriter, v: number | bigint): void {
  if (typeof v === "number") return writeLength(w, v);
  if (v <= 0xffffffffn) return writeLength(w, Number(v));
  w.u8(0x81);
  w.u64be(v);
}

/** Writes a stream ID as two lengths, ms then seq. */
function writeStreamId(w: ByteWriter, id: StreamId): void {
  writeLength64(w, msPart(id));
  writeLength64(w, seqPart(id));
}

/** `a - b` of two unsigned 64-bit parts, as the int64 Redis stores. */
function idDelta(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return BigInt.asIntN(64, BigInt(a) - BigInt(b));
}

/** The listpack of one stream node, laid out as Redis lays it out. */
export function streamNodeListpack(node: NodeLayout): Uint8Array {
  const mf = node.masterFields;
  let live = 0;
  for (const e of node.entries) if (e.fields !== null) live++;
  const items: string[] = [String(live), String(node.entries.length - live), String(mf.length)];
  for (const f of mf) items.push(f);
  items.push("0");
  const masterMs = msPart(node.masterId);
  const masterSeq = seqPart(node.masterId);
  for (const e of node.entries) {
    const fields = e.fields ?? e.deletedFields ?? [];
    const n = fields.length >> 1;
    let same = n === mf.length;
    for (let i = 0; same && i < n; i++) same = fields[i * 2] === mf[i];
    const flags = (e.fields === null ? STREAM_FLAG_DELETED : 0) |
      (same ? STREAM_FLAG_SAMEFIELDS : 0);
    items.push(
      String(flags),
      String(idDelta(msPart(e.id), masterMs)),
      String(idDelta(seqPart(e.id), masterSeq)),
    );
    if (same) {
      for (let i = 1; i < fields.length; i += 2) items.push(fields[i]!);
      items.push(String(n + 3));
    } else {
      items.push(String(n));
      for (const f of fields) items.push(f);
      items.push(String(2 * n + 4));
    }
  }
  return encodeListpack(items);
}

/** Writes a stream as RDB_TYPE_STREAM_LISTPACKS_2, node by node as the stream holds them. */
function writeStream(w: ByteWriter, s: StreamValue, opts: EncodeOptions): void {
  writeLength(w, s.radixTreeKeys());
  for (const node of s.nodes()) {
    writeLength(w, 16);
    w.binary(node.masterId);
    writeBlob(w, streamNodeListpack(node), opts.compress);
  }
  writeLength(w, s.length);
  writeStreamId(w, s.lastId);
  writeStreamId(w, s.firstId);
  writeStreamId(w, s.maxDeletedId);
  writeLength64(w, BigInt.asUintN(64, s.entriesAdded));
  const groups = s.groups();
  writeLength(w, groups.length);
  for (const g of groups) {
    writeString(w, g.name, opts.compress);
    writeStreamId(w, g.lastId);
    writeLength64(w, BigInt.asUintN(64, g.entriesRead));
    writeLength(w, g.pel.size);
    for (const [id, nack] of g.pel.entries()) {
      w.binary(id);
      w.u64le(nack.deliveryTime);
      writeLength64(w, nack.deliveryCount);
    }
    const consumers = g.consumerList();
    writeLength(w, consumers.length);
    for (const c of consumers) {
      writeString(w, c.name, opts.compress);
      w.u64le(c.seenTime);
      writeLength(w, c.pel.size);
      for (const id of c.pel.keys()) w.binary(id);
    }
  }
}

/** Bytes of `v`'s RDB value encoding, without its type code (DEBUG OBJECT `serializedlength`). */
export function serializedLength(v: Value, opts: EncodeOptions): number {
  const w = new ByteWriter(256);
  writeValue(w, v, opts);
  return w.length;
}

/** Access metadata written before a key (Redis writes IDLE under LRU, FREQ under LFU). */
export interface KeyAccess {
  /** Idle seconds (LRU policies), or null. */
  idle: number | null;
  /** LFU counter (LFU policies), or null. */
  freq: number | null;
}

/** Writes one key record: expiry, access info, type, key, value. */
export function writeKeyValue(
  w: ByteWriter,
  key: string,
  v: Value,
  expireMs: number,
  access: KeyAccess | null,
  opts: EncodeOptions,
): void {
  if (expireMs !== -1) {
    w.u8(RdbOpcode.EXPIRETIME_MS);
    w.u64le(expireMs);
  }
  if (access !== null) {
    if (access.idle !== null) {
      w.u8(RdbOpcode.IDLE);
      writeLength(w, access.idle);
    } else if (access.freq !== null) {
      w.u8(RdbOpcode.FREQ);
      w.u8(access.freq);
    }
  }
  w.u8(rdbTypeOf(v));
  writeString(w, key, opts.compress);
  writeValue(w, v, opts);
}

/** Writes an AUX field. */
export function writeAux(w: ByteWriter, name: string, value: string | number): void {
  w.u8(RdbOpcode.AUX);
  writeString(w, name, false);
  writeString(w, String(value), false);
}

/** Writes the `REDIS0010` magic. */
export function writeHeader(w: ByteWriter): void {
  w.binary("REDIS" + String(RDB_VERSION).padStart(4, "0"));
}

/** Writes SELECTDB and RESIZEDB for a database section. */
export function writeDbHeader(w: ByteWriter, id: number, size: number, expires: number): void {
  w.u8(RdbOpcode.SELECTDB);
  writeLength(w, id);
  w.u8(RdbOpcode.RESIZEDB);
  writeLength(w, size);
  writeLength(w, expires);
}

/** A DUMP payload: type code, value, RDB version (2 bytes LE), CRC-64 (8 bytes LE). */
export function dumpPayload(v: Value, opts: EncodeOptions): Uint8Array {
  const w = new ByteWriter(64);
  w.u8(rdbTypeOf(v));
  writeValue(w, v, opts);
  w.u16le(RDB_VERSION);
  w.bytes(crc64Bytes(w.view()));
  return w.take();
}

/** Facts recorded in the file header by {@link writeAuxFields}. */
export interface AuxInfo {
  /** Redis version claimed. */
  redisVersion: string;
  /** Creation time in seconds. */
  ctime: number;
  /** Memory in use, in bytes. */
  usedMem: number;
  /** Whether the file is an AOF base (preamble). */
  aofBase: boolean;
  /** Replication info (SYNC payloads), or null. */
  repl?: { db: number; id: string; offset: number } | null;
  /** FUNCTION libraries' code, written after the AUX fields as Redis 7.0 does. */
  functions?: readonly string[];
}

/** Writes the AUX fields Redis 7.0 writes. */
export function writeAuxFields(w: ByteWriter, info: AuxInfo): void {
  writeAux(w, "redis-ver", info.redisVersion);
  writeAux(w, "redis-bits", 64);
  writeAux(w, "ctime", info.ctime);
  writeAux(w, "used-mem", info.usedMem);
  if (info.repl) {
    writeAux(w, "repl-stream-db", info.repl.db);
    writeAux(w, "repl-id", info.repl.id);
    writeAux(w, "repl-offset", info.repl.offset);
  }
  writeAux(w, "aof-base", info.aofBase ? 1 : 0);
  if (info.functions) writeFunctions(w, info.functions, true);
}

/** Access metadata for `key` under the keyspace's policy (LRU idle / LFU counter). */
export function keyAccess(db: Db, key: string, policy: string): KeyAccess | null {
  if (policy.endsWith("-lru")) return { idle: db.idleTime(key), freq: null };
  if (policy.endsWith("-lfu")) return { idle: null, freq: db.frequency(key) };
  return null;
}

/** Serializes the whole keyspace to an RDB image in one go (SAVE, DEBUG RELOAD). */
export function encodeRdb(
  ks: Keyspace,
  info: AuxInfo,
  opts: EncodeOptions & { checksum: boolean; policy: string },
): Uint8Array {
  const w = new ByteWriter(64 * 1024);
  writeHeader(w);
  writeAuxFields(w, info);
  for (const db of ks.dbs) {
    if (db.data.size === 0) continue;
    writeDbHeader(w, db.id, db.data.size, db.expires.size);
    for (const [key, v] of db.data) {
      writeKeyValue(w, key, v, db.expires.get(key) ?? -1, keyAccess(db, key, opts.policy), opts);
    }
  }
  return finishRdb(w, opts.checksum);
}

/** Appends EOF and the checksum (zero when disabled); returns the image. */
export function finishRdb(w: ByteWriter, checksum: boolean, crc?: Crc64): Uint8Array {
  w.u8(RdbOpcode.EOF);
  if (!checksum) w.u64le(0);
  else if (crc === undefined) w.bytes(crc64Bytes(w.view()));
  else {
    crc.update(w.view());
    w.bytes(crc.bytes());
  }
  return w.take();
}

// --- Reading ---------------------------------------------------------------------------

/** Reads the RDB primitives. */
export class RdbReader extends ByteReader {
  /** Reads a length; `encoded` is set for the special string encodings (value = kind). */
  length(): { n: number; encoded: boolean } {
    const b = this.u8();
    const kind = b >> 6;
    if (kind === 0) return { n: b & 0x3f, encoded: false };
    if (kind === 1) return { n: ((b & 0x3f) << 8) | this.u8(), encoded: false };
    if (kind === 3) return { n: b & 0x3f, encoded: true };
    if (b === 0x80) return { n: this.u32be(), encoded: false };
    if (b === 0x81) {
      const v = this.u64be();
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbError("Length too large");
      return { n: Number(v), encoded: false };
    }
    throw new RdbError(`Unknown length encoding ${b}`);
  }

  /** Reads a plain length as an unsigned 64-bit value (stream IDs and counters). */
  len64(): bigint {
    if (this.pos < this.end && this.buf[this.pos] === 0x81) {
      this.pos++;
      return this.u64be();
    }
    return BigInt(this.len());
  }

  /** Reads a stream ID written as two lengths (ms, seq). */
  streamId(): StreamId {
    return idFromParts(this.len64(), this.len64());
  }

  /** Reads a plain length (no special encoding allowed). */
  len(): number {
    const l = this.length();
    if (l.encoded) throw new RdbError("Unexpected encoded length");
    return l.n;
  }

  /** Reads a string as bytes. */
  blob(): Uint8Array {
    const l = this.length();
    if (!l.encoded) return this.bytes(l.n).slice();
    if (l.n === ENC_LZF) {
      const clen = this.len();
      const len = this.len();
      return lzfDecompress(this.bytes(clen), len);
    }
    const s = this.#intString(l.n);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  #intString(kind: number): string {
    if (kind === ENC_INT8) {
      const v = this.u8();
      return String(v >= 128 ? v - 256 : v);
    }
    if (kind === ENC_INT16) {
      const v = this.u16le();
      return String(v >= 32768 ? v - 65536 : v);
    }
    if (kind === ENC_INT32) return String(this.u32le() | 0);
    throw new RdbError(`Unknown string encoding ${kind}`);
  }

  /** Reads a string as a binary string. */
  string(): string {
    const l = this.length();
    if (!l.encoded) return this.binary(l.n);
    if (l.n === ENC_LZF) {
      const clen = this.len();
      const len = this.len();
      const b = lzfDecompress(this.bytes(clen), len);
      let s = "";
      for (let i = 0; i < b.length; i += 8192) {
        s += String.fromCharCode(...b.subarray(i, i + 8192));
      }
      return s;
    }
    return this.#intString(l.n);
  }

  /** Reads an old-style text double (ZSET v1 scores). */
  textDouble(): number {
    const n = this.u8();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    const s = this.binary(n);
    const v = Number(s);
    if (Number.isNaN(v)) throw new RdbError("Bad double value");
    return v;
  }
}

function parseScoreText(s: string): number {
  if (s === "inf" || s === "+inf") return Infinity;
  if (s === "-inf") return -Infinity;
  const v = Number(s);
  if (Number.isNaN(v)) throw new RdbError("Bad score in packed sorted set");
  return v;
}

function pairsOf(flat: string[]): [string, string][] {
  if (flat.length % 2 !== 0) throw new RdbError("Odd number of elements in packed pairs");
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

function scorePairs(flat: string[]): [string, number][] {
  return pairsOf(flat).map(([m, s]) => [m, parseScoreText(s)]);
}

/** A malformed stream. */
function badStream(what: string): RdbError {
  return new RdbError(`Bad stream: ${what}`);
}

/** A listpack integer element (a stream count, flag or delta); throws when it isn't one. */
function lpInteger(s: string | undefined): number | bigint {
  if (s === undefined) throw badStream("listpack entry truncated");
  const v = Number(s);
  if (Number.isSafeInteger(v) && String(v) === s) return v;
  if (!/^-?[0-9]{1,20}$/.test(s)) throw badStream("integer expected in listpack");
  return BigInt(s);
}

/** A non-negative listpack count. */
function lpCount(s: string | undefined): number {
  const v = lpInteger(s);
  if (typeof v !== "number" || v < 0) throw badStream("bad count in listpack");
  return v;
}

/** The unsigned 64-bit part `base + delta` (wrapping like Redis's uint64 arithmetic). */
function addDelta(base: number | bigint, delta: number | bigint): number | bigint {
  if (typeof base === "number" && typeof delta === "number") {
    const v = base + delta;
    if (v >= 0 && Number.isSafeInteger(v)) return v;
  }
  return BigInt.asUintN(64, BigInt(base) + BigInt(delta));
}

/** Parses one node's listpack elements into its layout, checking its structure. */
export function parseStreamNode(masterId: StreamId, lp: string[]): NodeLayout {
  let p = 0;
  const next = (): string => {
    const s = lp[p++];
    if (s === undefined) throw badStream("listpack entry truncated");
    return s;
  };
  const live = lpCount(next());
  const deleted = lpCount(next());
  const nf = lpCount(next());
  const masterFields: string[] = [];
  for (let i = 0; i < nf; i++) masterFields.push(next());
  if (next() !== "0") throw badStream("master entry not terminated");
  const masterMs = msPart(masterId);
  const masterSeq = seqPart(masterId);
  const entries: NodeEntry[] = [];
  let seenLive = 0;
  let prev = "";
  while (p < lp.length) {
    const start = p;
    const flags = lpInteger(next());
    if (typeof flags !== "number" || flags < 0 || flags > 3) throw badStream("bad entry flags");
    const id = idFromParts(
      addDelta(masterMs, lpInteger(next())),
      addDelta(masterSeq, lpInteger(next())),
    );
    const fields: string[] = [];
    if (flags & STREAM_FLAG_SAMEFIELDS) {
      for (let i = 0; i < nf; i++) fields.push(masterFields[i]!, next());
    } else {
      const n = lpCount(next());
      for (let i = 0; i < 2 * n; i++) fields.push(next());
    }
    if (lpInteger(next()) !== p - start - 1) throw badStream("bad lp-count");
    if (id < masterId || id <= prev) throw badStream("entry IDs out of order");
    prev = id;
    if (flags & STREAM_FLAG_DELETED) entries.push({ id, fields: null, deletedFields: fields });
    else {
      entries.push({ id, fields });
      seenLive++;
    }
  }
  if (seenLive !== live || entries.length - seenLive !== deleted) {
    throw badStream("master entry counts don't match the entries");
  }
  return { masterId, masterFields, entries };
}

/** Reads a stream of type 15 (Redis 5-6) or 19 (Redis 7.0). */
function readStream(r: RdbReader, type: number): StreamValue {
  const v2 = type === RdbType.STREAM_LISTPACKS_2;
  const nodeCount = r.len();
  const layout: NodeLayout[] = [];
  let prev = "";
  for (let i = 0; i < nodeCount; i++) {
    const key = r.string();
    if (key.length !== 16) throw badStream("node key is not a stream ID");
    const lp = decodeListpack(r.blob());
    if (lp.length === 0) throw badStream("empty listpack");
    const node = parseStreamNode(key, lp);
    const first = node.entries[0];
    if (first === undefined) throw badStream("node without entries");
    if (first.id <= prev) throw badStream("nodes out of order");
    prev = node.entries[node.entries.length - 1]!.id;
    layout.push(node);
  }
  const length = r.len();
  const lastId = r.streamId();
  let s: StreamValue;
  if (v2) {
    const firstId = r.streamId();
    const maxDeletedId = r.streamId();
    const entriesAdded = BigInt.asIntN(64, r.len64());
    s = streamFromNodes(layout, { lastId, firstId, maxDeletedId, entriesAdded });
  } else {
    // Before 7.0 nothing recorded these: start counting from what is there now.
    s = streamFromNodes(layout, { lastId, maxDeletedId: MIN_ID, entriesAdded: BigInt(length) });
  }
  if (s.length !== length) throw badStream("length doesn't match the entries");
  if (s.length !== 0 && s.lastValidId() > lastId) throw badStream("last ID below an entry");
  const groupCount = r.len();
  for (let i = 0; i < groupCount; i++) {
    const name = r.string();
    const groupLast = r.streamId();
    const entriesRead = v2 ? BigInt.asIntN(64, r.len64()) : s.estimateDistance(groupLast);
    const g = s.createGroup(name, groupLast, entriesRead);
    if (g === null) throw badStream("duplicated consumer group name");
    const pelSize = r.len();
    for (let j = 0; j < pelSize; j++) {
      const id = r.binary(16);
      const time = Number(r.i64le());
      const count = r.len64();
      if (g.pel.has(id)) throw badStream("duplicated PEL entry");
      g.addPending(id, time, count <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(count) : count);
    }
    const consumers = r.len();
    for (let j = 0; j < consumers; j++) {
      const cname = r.string();
      const seen = Number(r.i64le());
      if (g.consumer(cname) !== undefined) throw badStream("duplicate consumer");
      const n = r.len();
      const ids: StreamId[] = [];
      for (let k = 0; k < n; k++) ids.push(r.binary(16));
      if (!g.addConsumer(cname, seen, ids)) {
        throw badStream("consumer PEL entry not in the group PEL");
      }
    }
    for (const [, nack] of g.pel.entries()) {
      if (nack.consumer === null) throw badStream("PEL entry without a consumer");
    }
  }
  return s;
}

/** Reads a value of RDB type `type`; `config` gives the encoding thresholds. */
export function readValue(r: RdbReader, type: number, config: ConfigSource): Value {
  switch (type) {
    case RdbType.STRING:
      return r.string();
    case RdbType.LIST: {
      const n = r.len();
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(r.string());
      return listFrom(items, config);
    }
    case RdbType.LIST_ZIPLIST:
      return listFrom(decodeZiplist(r.blob()), config);
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2: {
      const nodes = r.len();
      const items: string[] = [];
      for (let i = 0; i < nodes; i++) {
        if (type === RdbType.LIST_QUICKLIST) {
          items.push(...decodeZiplist(r.blob()));
          continue;
        }
        const container = r.len();
        if (container === NODE_PLAIN) items.push(r.string());
        else if (container === NODE_PACKED) items.push(...decodeListpack(r.blob()));
        else throw new RdbError(`Unknown quicklist node container ${container}`);
      }
      return listFrom(items, config);
    }
    case RdbType.SET: {
      const n = r.len();
      const members: string[] = [];
      for (let i = 0; i < n; i++) members.push(r.string());
      return setFrom(members, config);
    }
    case RdbType.SET_INTSET:
      return setFrom(decodeIntset(r.blob()), config);
    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      const n = r.len();
      const pairs: [string, number][] = [];
      for (let i = 0; i < n; i++) {
        const m = r.string();
        const s = type === RdbType.ZSET_2 ? r.f64le() : r.textDouble();
        if (Number.isNaN(s)) throw new RdbError("Zset with NAN score");
        pairs.push([m, s]);
      }
      return ZSetValue.from(pairs, config);
    }
    case RdbType.ZSET_ZIPLIST:
      return ZSetValue.from(scorePairs(decodeZiplist(r.blob())), config);
    case RdbType.ZSET_LISTPACK:
      return ZSetValue.from(scorePairs(decodeListpack(r.blob())), config);
    case RdbType.HASH: {
      const n = r.len();
      const pairs: [string, string][] = [];
      for (let i = 0; i < n; i++) pairs.push([r.string(), r.string()]);
      return hashFrom(pairs, config);
    }
    case RdbType.HASH_ZIPMAP:
      return hashFrom(decodeZipmap(r.blob()), config);
    case RdbType.HASH_ZIPLIST:
      return hashFrom(pairsOf(decodeZiplist(r.blob())), config);
    case RdbType.HASH_LISTPACK:
      return hashFrom(pairsOf(decodeListpack(r.blob())), config);
    case RdbType.STREAM_LISTPACKS:
    case RdbType.STREAM_LISTPACKS_2:
      return readStream(r, type);
    default:
      throw new RdbError(`Unsupported RDB value type ${type}`);
  }
}

/** Whether `v` is an aggregate with no elements (Redis skips those on load). */
function isEmptyAggregate(v: Value): boolean {
  if (typeof v === "string" || v instanceof RawString) return false;
  // Streams may be empty (XDEL, MAXLEN 0) and Redis keeps them.
  if (v.type === "stream") return false;
  const n = v.count?.();
  return n === 0;
}

/** Checks a DUMP payload's version and checksum; returns the value part's bounds. */
export function verifyDumpPayload(p: Uint8Array): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const version = p[footer]! | (p[footer + 1]! << 8);
  if (version > RDB_VERSION) return false;
  const crc = crc64Bytes(p, 0, p.length - 8);
  for (let i = 0; i < 8; i++) if (crc[i] !== p[p.length - 8 + i]) return false;
  return true;
}

/** Writes each function library's code as a FUNCTION2 record (Redis 7.0's `rdbSaveFunctions`). */
export function writeFunctions(w: ByteWriter, codes: readonly string[], compress: boolean): void {
  for (const code of codes) {
    w.u8(RdbOpcode.FUNCTION2);
    writeString(w, code, compress);
  }
}

/** A FUNCTION DUMP payload: the libraries' FUNCTION2 records, RDB version, CRC-64. */
export function dumpFunctionsPayload(codes: readonly string[], compress: boolean): Uint8Array {
  const w = new ByteWriter(256);
  writeFunctions(w, codes, compress);
  w.u16le(RDB_VERSION);
  w.bytes(crc64Bytes(w.view()));
  return w.take();
}

/** The library codes of a verified FUNCTION DUMP payload; throws when it is malformed. */
export function decodeFunctionsPayload(p: Uint8Array): string[] {
  const r = new RdbReader(p, 0, p.length - 10);
  const codes: string[] = [];
  try {
    while (r.remaining !== 0) {
      if (r.u8() !== RdbOpcode.FUNCTION2) throw new RdbError("given type is not a function");
      codes.push(r.string());
    }
    return codes;
  } catch (e) {
    if (e instanceof RdbError) throw e;
    throw new RdbError((e as Error).message, { cause: e });
  }
}

/** Decodes a verified DUMP payload; throws when the value part is malformed. */
export function decodeDumpPayload(p: Uint8Array, config: ConfigSource): Value {
  const r = new RdbReader(p, 0, p.length - 10);
  try {
    const type = r.u8();
    const v = readValue(r, type, config);
    if (r.remaining !== 0) throw new RdbError("Trailing bytes after the value");
    return v;
  } catch (e) {
    if (e instanceof RdbError) throw e;
    throw new RdbError((e as Error).message, { cause: e });
  }
}

/** What loading a file found. */
export interface LoadResult {
  /** Keys loaded. */
  loaded: number;
  /** Keys skipped because they had expired. */
  expired: number;
  /** AUX fields. */
  aux: Map<string, string>;
  /** Function libraries found (FUNCTION2 payloads), kept as code. */
  functions: string[];
  /** Byte offset just past the RDB (an AOF preamble continues there). */
  end: number;
}

/** Options of {@link loadRdb}. */
export interface LoadOptions {
  /** Encoding thresholds. */
  config: ConfigSource;
  /** Verify the checksum (`rdbchecksum`). */
  checksum: boolean;
  /** Current time in ms: keys that expired by then are skipped. */
  now: number;
  /** Keep expired keys (a replica loading from its master does). */
  keepExpired?: boolean;
  /** A key that already exists is replaced (DEBUG RELOAD MERGE) instead of an error. */
  merge?: boolean;
}

/**
 * Loads an RDB image from `bytes` into `ks` (which the caller has emptied). Throws
 * {@link RdbError} when the image is malformed; keys read before the error stay loaded.
 */
export function loadRdb(bytes: Uint8Array, ks: Keyspace, opts: LoadOptions): LoadResult {
  const r = new RdbReader(bytes);
  const res: LoadResult = { loaded: 0, expired: 0, aux: new Map(), functions: [], end: 0 };
  try {
    const magic = r.binary(9);
    if (!magic.startsWith("REDIS")) throw new RdbError("Wrong signature trying to load DB");
    const version = Number(magic.slice(5));
    if (!Number.isInteger(version) || version < 1 || version > RDB_VERSION) {
      throw new RdbError(`Can't handle RDB format version ${magic.slice(5)}`);
    }
    let db = ks.dbs[0]!;
    let expire = -1;
    let idle: number | null = null;
    let freq: number | null = null;
    for (;;) {
      const type = r.u8();
      if (type === RdbOpcode.EOF) break;
      if (type === RdbOpcode.SELECTDB) {
        const id = r.len();
        const next = ks.dbs[id];
        if (next === undefined) {
          throw new RdbError(
            `FATAL: Data file was created with a Redis server configured to handle more ` +
              `than ${ks.dbs.length} databases. Exiting`,
          );
        }
        db = next;
        continue;
      }
      if (type === RdbOpcode.RESIZEDB) {
        r.len();
        r.len();
        continue;
      }
      if (type === RdbOpcode.EXPIRETIME_MS) {
        expire = Number(r.i64le());
        continue;
      }
      if (type === RdbOpcode.EXPIRETIME) {
        expire = r.u32le() * 1000;
        continue;
      }
      if (type === RdbOpcode.IDLE) {
        idle = r.len();
        continue;
      }
      if (type === RdbOpcode.FREQ) {
        freq = r.u8();
        continue;
      }
      if (type === RdbOpcode.AUX) {
        const k = r.string();
        res.aux.set(k, r.string());
        continue;
      }
      if (type === RdbOpcode.FUNCTION2) {
        res.functions.push(r.string());
        continue;
      }
      if (type === RdbOpcode.FUNCTION || type === RdbOpcode.MODULE_AUX) {
        throw new RdbError("Modules and pre-release function records are not supported");
      }
      const key = r.string();
      const value = readValue(r, type, opts.config);
      if (db.data.has(key)) {
        if (!opts.merge) throw new RdbError(`RDB has duplicated key '${key}' in DB ${db.id}`);
        db.data.delete(key);
        db.expires.delete(key);
      }
      const expired = expire !== -1 && expire < opts.now && !opts.keepExpired;
      if (expired) res.expired++;
      else if (!isEmptyAggregate(value)) {
        db.data.set(key, value);
        if (expire !== -1) db.expires.set(key, expire);
        if (ks.trackAccess && (idle !== null || freq !== null)) db.setAccess(key, idle, freq);
        res.loaded++;
      }
      expire = -1;
      idle = null;
      freq = null;
    }
    if (version >= 5) {
      const stored = r.bytes(8);
      if (opts.checksum && stored.some((b) => b !== 0)) {
        const crc = crc64Bytes(bytes, 0, r.pos - 8);
        for (let i = 0; i < 8; i++) {
          if (crc[i] !== stored[i]) throw new RdbError("Wrong RDB checksum: RDB CRC error");
        }
      }
    }
    res.end = r.pos;
    return res;
  } catch (e) {
    if (e instanceof RdbError) throw e;
    if (e instanceof FormatError) throw new RdbError("Short read or OOM loading DB", { cause: e });
    throw new RdbError((e as Error).message, { cause: e });
  }
}
