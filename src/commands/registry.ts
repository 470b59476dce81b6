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
import { serverCommands } from "./server.ts";
import { transactionCommands } from "./transactions.ts";
import { introspectionCommands } from "./command.ts";

/** All command declarations. */
export function allCommands(): CommandSpec[] {
  return [
    ...connectionCommands,
    ...stringCommands,
    ...keyCommands,
    ...serverCommands,
    ...transactionCommands,
    ...introspectionCommands,
  ];
}
