/**
 * Every command group, gathered into one list. Adding a command is one entry in its group's
 * module; adding a group is one line here.
 *
 * @module
 */
import type { CommandSpec } from "./spec.ts";
import { connectionCommands } from "./connection.ts";
import { stringCommands } from "./strings.ts";
import { keyCommands } from "./keys.ts";
import { infoCommands } from "./info.ts";
import { configCommands } from "./config_commands.ts";
import { serverCommands } from "./server.ts";
import { memoryCommands } from "./memory.ts";
import { debugCommands } from "./debug.ts";
import { transactionCommands } from "./transactions.ts";
import { introspectionCommands } from "./command.ts";
import { functionCommands } from "./functions.ts";
import { listCommands } from "./lists.ts";
import { setCommands } from "./sets.ts";
import { hashCommands } from "./hashes.ts";
import { zsetCommands } from "./zsets.ts";
import { streamCommands } from "./streams.ts";
import { bitCommands } from "./bitops.ts";
import { hyperLogLogCommands } from "./hyperloglog.ts";
import { persistenceCommands } from "./persistence.ts";
import { sortCommands } from "./sort.ts";
import { pubsubCommands } from "./pubsub.ts";
import { scriptingCommands } from "./scripting.ts";
import { geoCommands } from "./geo.ts";
import { slowlogCommands } from "./slowlog.ts";
import { monitorCommands } from "./monitor.ts";

/** All command declarations. */
export function allCommands(): CommandSpec[] {
  return [
    ...connectionCommands,
    ...stringCommands,
    ...keyCommands,
    ...infoCommands,
    ...configCommands,
    ...serverCommands,
    ...memoryCommands,
    ...debugCommands,
    ...transactionCommands,
    ...introspectionCommands,
    ...functionCommands,
    ...listCommands,
    ...setCommands,
    ...hashCommands,
    ...zsetCommands,
    ...streamCommands,
    ...bitCommands,
    ...hyperLogLogCommands,
    ...persistenceCommands,
    ...sortCommands,
    ...pubsubCommands,
    ...scriptingCommands,
    ...geoCommands,
    ...slowlogCommands,
    ...monitorCommands,
  ];
}
