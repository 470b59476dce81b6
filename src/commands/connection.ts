/**
 * Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET, CLIENT.
 *
 * @module
 */
import { type CommandSpec, ReplyError } from "./spec.ts";
import { arityError } from "./dispatch.ts";

/** Connection commands. */
export const connectionCommands: CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast", "sentinel"],
    group: "connection",
    since: "1.0.0",
    summary: "Ping the server",
    complexity: "O(1)",
    args: [{ name: "message", type: "string", optional: true }],
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    run(c, argv) {
      if (argv.length > 2) throw new ReplyError(arityError("ping"));
      if (argv.length === 2) c.w.bulk(argv[1]!);
      else c.w.raw("+PONG\r\n");
    },
  },
  {
    name: "echo",
    arity: 2,
    flags: ["fast"],
    group: "connection",
    since: "1.0.0",
    summary: "Echo the given string",
    complexity: "O(1)",
    args: [{ name: "message", type: "string" }],
    run(c, argv) {
      c.w.bulk(argv[1]!);
    },
  },
];
