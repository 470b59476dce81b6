/**
 * cedis server entry point: `main.ts [/path/to/cedis.conf] [--name value ...]`.
 *
 * @module
 */
import { Config } from "./src/config/config.ts";
import { Server } from "./src/server/server.ts";

if (import.meta.main) {
  const config = new Config();
  const args = Deno.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith("--")) {
      const vals: string[] = [];
      while (i + 1 < args.length && !args[i + 1]!.startsWith("--")) vals.push(args[++i]!);
      config.set(a.slice(2), vals.join(" "), true);
    }
  }
  const server = new Server({ config });
  server.listen();
  server.handleSignals();
  await server.finished;
  Deno.exit(0);
}
