/**
 * The bridge from persistence to the data types: iteration and construction through the type
 * API each `src/types/<type>.ts` module documents (`items()`/`members()`/`entries()` and
 * `from(elements, config)`; streams: `nodes()`, `groups()`, `fromNodes()`), so RDB, DUMP and
 * AOF rewrite never see a type's encodings.
 *
 * @module
 */
import type { TypedValue, Value } from "../store/value.ts";
import { ListValue } from "../types/list.ts";
import { SetValue } from "../types/set.ts";
import { HashValue } from "../types/hash.ts";
import { type NodeLayout, type StreamMeta, StreamValue } from "../types/stream.ts";

/** Something that reads config parameters by name (the server's `Config`). */
interface NumberSource {
  getNumber(name: string): number;
}

/** List items, head to tail. */
export function listItems(v: TypedValue): Iterable<string> {
  return (v as ListValue).items();
}

/** Set members. */
export function setMembers(v: TypedValue): Iterable<string> {
  return (v as SetValue).members();
}

/** Hash field/value pairs. */
export function hashEntries(v: TypedValue): Iterable<[string, string]> {
  return (v as HashValue).entries();
}

/** A list holding `items`, in the encoding the config calls for. */
export function listFrom(items: string[], config: NumberSource): Value {
  return ListValue.from(items, config);
}

/** A set holding `members`. */
export function setFrom(members: string[], config: NumberSource): Value {
  return SetValue.from(members, config);
}

/** A hash holding `pairs`. */
export function hashFrom(pairs: [string, string][], config: NumberSource): Value {
  return HashValue.from(pairs, config);
}

/** A stream value (persistence reads its metadata, nodes and groups directly). */
export function streamOf(v: TypedValue): StreamValue {
  return v as StreamValue;
}

/** A stream rebuilt from a persisted node layout, nodes and tombstones kept as given. */
export function streamFromNodes(layout: NodeLayout[], meta: StreamMeta): StreamValue {
  return StreamValue.fromNodes(layout, meta);
}
