/**
 * TODO: this group's commands.
 *
 * @module
 */
import type { CommandSpec } from "./spec.ts";

/** Commands of this group. */
export const bitCommands: CommandSpec[] = [];
