/**
 * FUNCTION: the Redis 7 function library registry. No scripting engine is registered yet
 * (Lua arrives with the scripting issue), so the registry can't hold a library and LOAD is
 * not offered: FLUSH, LIST, DELETE and HELP behave as Redis does on an empty registry.
 *
 * @module
 */
import { isToken } from "./args.ts";
import { type CommandSpec, ReplyError } from "./spec.ts";

/** Function commands. */
export const functionCommands: CommandSpec[] = [
  {
    name: "function",
    arity: -2,
    flags: [],
    group: "scripting",
    since: "7.0.0",
    summary: "A container for function commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "flush",
        arity: -2,
        flags: ["write", "noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Deleting all functions",
        complexity: "O(N) where N is the number of functions deleted",
        args: [{
          name: "async",
          type: "oneof",
          optional: true,
          args: [
            { name: "async", type: "pure-token", token: "ASYNC" },
            { name: "sync", type: "pure-token", token: "SYNC" },
          ],
        }],
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        run(c, argv) {
          if (
            argv.length > 3 ||
            (argv.length === 3 && !isToken(argv[2]!, "async") && !isToken(argv[2]!, "sync"))
          ) {
            throw new ReplyError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
          }
          c.w.ok();
        },
      },
      {
        name: "list",
        arity: -2,
        flags: ["noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "List information about all the functions",
        complexity: "O(N) where N is the number of functions",
        args: [
          { name: "library-name-pattern", type: "string", token: "LIBRARYNAME", optional: true },
          { name: "withcode", type: "pure-token", token: "WITHCODE", optional: true },
        ],
        tips: ["nondeterministic_output_order"],
        run(c, argv) {
          for (let i = 2; i < argv.length; i++) {
            if (isToken(argv[i]!, "withcode")) continue;
            if (isToken(argv[i]!, "libraryname") && i + 1 < argv.length) {
              i++;
              continue;
            }
            throw new ReplyError(`ERR Unknown argument ${argv[i]}`);
          }
          c.w.array(0);
        },
      },
      {
        name: "delete",
        arity: 3,
        flags: ["write", "noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Delete a function by name",
        complexity: "O(1)",
        args: [{ name: "library-name", type: "string" }],
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        run() {
          throw new ReplyError("ERR Library not found");
        },
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run(c) {
          const lines = [
            "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "FLUSH [ASYNC|SYNC]",
            "    Deletes all the libraries.",
            "    When called with ASYNC the libraries will be freed asynchronously.",
            "HELP",
            "    Prints this help.",
          ];
          c.w.array(lines.length);
          for (const l of lines) c.w.simple(l);
        },
      },
    ],
  },
];
