/**
 * CONFIG and its subcommands (GET, SET, RESETSTAT, REWRITE, HELP), plus the config-file
 * rewrite DEBUG CONFIG-REWRITE-FORCE-ALL shares and the loopback check that protected
 * configs and `enable-debug-command local` use.
 *
 * @module
 */
import { SetError } from "../config/config.ts";
import { rewriteConfig } from "../config/file.ts";
import { globMatch } from "../store/glob.ts";
import { writeHelp } from "./args.ts";
import type { Client, ServerContext } from "./context.ts";
import { type CommandSpec, Errors, ReplyError } from "./spec.ts";
import { resetStats } from "./info.ts";

/** Whether the client connected over loopback (Redis's `islocalClient`). */
export function isLocalClient(c: Client): boolean {
  const i = c.addr.lastIndexOf(":");
  let host = i < 0 ? c.addr : c.addr.slice(0, i);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host.startsWith("::ffff:")) host = host.slice(7);
  return host.startsWith("127.") || host === "::1" || host === "";
}

// ---------------------------------------------------------------------------------------
// CONFIG

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
  "HELP",
  "    Prints this help.",
];

function configGet(c: Client, argv: string[]): void {
  const pairs = c.server.config.get(argv.slice(2), (p, name) => globMatch(p, name, true));
  c.w.map(pairs.length);
  for (const [k, v] of pairs) {
    c.w.bulk(k);
    c.w.bulk(v);
  }
}

function configSet(c: Client, argv: string[]): void {
  if (argv.length % 2 === 1) throw new ReplyError(Errors.syntax);
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!, argv[i + 1]!]);
  try {
    c.server.config.setMany(pairs, { local: isLocalClient(c) });
  } catch (e) {
    if (e instanceof SetError) throw new ReplyError(e.reply);
    throw e;
  }
  c.w.ok();
}

/** Writes the config file with the current configuration; returns an error text or null. */
export function configRewrite(server: ServerContext, forceAll = false): string | null {
  const p = server.platform;
  if (p.configFile === "") return "The server is running without a config file";
  const text = rewriteConfig(server.config, p.readConfig() ?? "", forceAll);
  return p.rewriteConfig(text);
}

// ---------------------------------------------------------------------------------------
// Declarations

/** CONFIG and its subcommands. */
export const configCommands: CommandSpec[] = [
  {
    name: "config",
    arity: -2,
    flags: [],
    group: "server",
    since: "2.0.0",
    summary: "A container for server configuration commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "get",
        arity: -3,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.0.0",
        summary: "Get the values of configuration parameters",
        complexity: "O(N) when N is the number of configuration parameters provided",
        history: [["7.0.0", "Added the ability to pass multiple pattern parameters in one call"]],
        args: [{
          name: "parameter",
          type: "block",
          multiple: true,
          args: [{ name: "parameter", type: "string" }],
        }],
        run: configGet,
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "server",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run: (c) => writeHelp(c, CONFIG_HELP),
      },
      {
        name: "resetstat",
        arity: 2,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.0.0",
        summary: "Reset the stats returned by INFO",
        complexity: "O(1)",
        run(c) {
          resetStats(c.server);
          c.w.ok();
        },
      },
      {
        name: "rewrite",
        arity: 2,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.8.0",
        summary: "Rewrite the configuration file with the in memory configuration",
        complexity: "O(1)",
        run(c) {
          const err = configRewrite(c.server);
          if (err !== null) {
            c.server.platform.log("warning", `CONFIG REWRITE failed: ${err}`);
            throw new ReplyError("ERR " + err);
          }
          c.server.platform.log("notice", "CONFIG REWRITE executed with success.");
          c.w.ok();
        },
      },
      {
        name: "set",
        arity: -4,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.0.0",
        summary: "Set configuration parameters to the given values",
        complexity: "O(N) when N is the number of configuration parameters provided",
        tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
        history: [["7.0.0", "Added the ability to set multiple parameters in one call."]],
        args: [{
          name: "parameter_value",
          type: "block",
          multiple: true,
          args: [{ name: "parameter", type: "string" }, { name: "value", type: "string" }],
        }],
        run: configSet,
      },
    ],
  },
];
