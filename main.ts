/**
 * cedis server entry point: `main.ts [/path/to/cedis.conf] [--name value ...]`.
 *
 * Configuration is read like redis-server reads it: the file (redis.conf format, with
 * `include`), then the command-line options, all through the one schema of
 * src/config/config.ts. Bad values stop the start with Redis's fatal config report and exit
 * code 1; missing Deno permissions stop it with a one-line message naming the flag to add.
 *
 * @module
 */
import { resolve } from "node:path";
import { Config } from "./src/config/config.ts";
import {
  ConfigFileError,
  IncludeError,
  loadConfig,
  parseCommandLine,
  startupConfigText,
} from "./src/config/file.ts";
import { REDIS_VERSION } from "./src/config/version.ts";
import { AofError } from "./src/persistence/aof.ts";
import { Server } from "./src/server/server.ts";
import { log, logRaw, setLogFile, setLogLevel } from "./src/server/log.ts";

/** cedis's own version, shown next to the Redis version it implements. */
export const CEDIS_VERSION = "0.1.0";

const USAGE = `Usage: deno run -A main.ts [/path/to/cedis.conf] [options]
       deno run -A main.ts -v or --version
       deno run -A main.ts -h or --help

Examples:
       deno run -A main.ts (run the server with default conf)
       deno run -A main.ts /etc/cedis/6379.conf
       deno run -A main.ts --port 7777
       deno run -A main.ts /etc/mycedis.conf --loglevel verbose

Options are any config file directive, as --name value [value ...].
Deno permissions: --allow-net, plus --allow-read and --allow-write for the data
directory (dir) and --allow-read for the config file and its includes.`;

/** Whether stdout is a terminal (Redis shows its logo then). */
function isTty(): boolean {
  try {
    return Deno.stdout.isTerminal();
  } catch {
    return false;
  }
}

/** The startup banner: versions, mode, port and pid. */
function logo(port: number): string {
  const lines = [
    `   ___  ___  ___   _  ___     cedis ${CEDIS_VERSION} (Redis ${REDIS_VERSION} compatible) 64 bit`,
    "  / __|| __||   \\ | |/ __|",
    " | (__ | _| | |) || |\\__ \\    Running in standalone mode",
    `  \\___||___||___/ |_||___/    Port: ${port}`,
    `                              PID: ${Deno.pid}`,
    "",
  ];
  return lines.join("\n");
}

/** A startup failure: `message` is printed as is and the process exits with code 1. */
class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** Whether `e` is Deno refusing an operation for lack of a permission flag. */
function isPermissionError(e: unknown): boolean {
  return e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied;
}

/** A fatal log line in Redis's format (role `C`: the config stage). */
function fatalLine(msg: string): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  return `${Deno.pid}:C ${p(d.getDate())} ${months[d.getMonth()]} ${d.getFullYear()} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${
      p(d.getMilliseconds(), 3)
    } # ${msg}`;
}

/** Reads a config file; failures become a StartupError with Redis's wording. */
function readConfigFile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (isPermissionError(e)) {
      throw new StartupError(
        fatalLine(
          `Fatal error, can't open config file '${path}': permission denied ` +
            `(run deno with --allow-read=${path})`,
        ),
      );
    }
    const reason = e instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : (e as Error).message;
    throw new StartupError(fatalLine(`Fatal error, can't open config file '${path}': ${reason}`));
  }
}

/** Creates the data directory if needed; permission problems name the flags to add. */
function prepareDataDir(dir: string): void {
  const flags = `--allow-read=${dir} --allow-write=${dir}`;
  for (const name of ["read", "write"] as const) {
    if (Deno.permissions.querySync({ name, path: dir }).state !== "granted") {
      throw new StartupError(
        fatalLine(
          `Can't use the data directory '${dir}': no ${name} permission ` +
            `(run deno with ${flags})`,
        ),
      );
    }
  }
  try {
    Deno.mkdirSync(dir, { recursive: true });
    if (!Deno.statSync(dir).isDirectory) {
      throw new StartupError(fatalLine(`Can't use the data directory '${dir}': not a directory`));
    }
  } catch (e) {
    if (e instanceof StartupError) throw e;
    if (isPermissionError(e)) {
      throw new StartupError(
        fatalLine(
          `Can't create the data directory '${dir}': permission denied (run deno with ${flags})`,
        ),
      );
    }
    throw new StartupError(
      fatalLine(`Can't create the data directory '${dir}': ${(e as Error).message}`),
    );
  }
}

/** Reads the configuration from `args`; exits through StartupError on any problem. */
function configure(args: string[]): { config: Config; configFile: string } {
  const cl = parseCommandLine(args);
  if (cl.version) {
    console.log(
      `cedis server v=${REDIS_VERSION} sha=00000000:0 malloc=v8 bits=64 ` +
        `build=cedis-${CEDIS_VERSION}-deno-${Deno.version.deno}`,
    );
    Deno.exit(0);
  }
  if (cl.help) {
    console.error(USAGE);
    Deno.exit(1);
  }
  const config = new Config();
  config.resolvePath = (p) => resolve(p);
  const configFile = cl.configFile === null ? "" : resolve(cl.configFile);
  const fileText = configFile === "" ? "" : readConfigFile(configFile);
  const text = cl.options === "" ? fileText : startupConfigText(fileText, cl.options);
  try {
    loadConfig(config, text, { readFile: readConfigFile });
  } catch (e) {
    if (e instanceof ConfigFileError) throw new StartupError(e.report);
    if (e instanceof IncludeError && e.cause instanceof StartupError) throw e.cause;
    throw e;
  }
  return { config, configFile };
}

/** Starts cedis with the process arguments; resolves to the exit code once it stops. */
export async function main(args: string[]): Promise<number> {
  let server: Server;
  try {
    const { config, configFile } = configure(args);
    const logfile = config.getText("logfile");
    if (logfile !== "") {
      try {
        setLogFile(logfile);
      } catch (e) {
        throw new StartupError(
          `Can't open the log file: ${
            isPermissionError(e)
              ? `permission denied (run deno with --allow-write=${logfile})`
              : (e as Error).message
          }`,
        );
      }
    }
    setLogLevel(config.getString("loglevel"));
    log("warning", "oO0OoO0OoO0Oo cedis is starting oO0OoO0OoO0Oo", "C");
    log(
      "warning",
      `cedis version=${CEDIS_VERSION}, redis_version=${REDIS_VERSION}, bits=64, ` +
        `deno=${Deno.version.deno}, pid=${Deno.pid}, just started`,
      "C",
    );
    if (configFile === "") {
      log(
        "warning",
        "Warning: no config file specified, using the default config. In order to specify " +
          "a config file use deno run -A main.ts /path/to/cedis.conf",
        "C",
      );
    } else log("warning", "Configuration loaded", "C");
    if (config.getBool("daemonize")) {
      log("warning", "daemonize is not supported by cedis: running in the foreground", "C");
    }
    prepareDataDir(config.getText("dir"));
    server = new Server({ config, configFile });
    // Like Redis, the port is bound before the banner (with the pid) is out and the data
    // loads: clients that connect meanwhile wait for the load.
    try {
      server.bind();
    } catch (e) {
      throw new StartupError(
        fatalLine(
          isPermissionError(e)
            ? `${(e as Error).message} (run deno with --allow-net)`
            : (e as Error).message,
        ),
      );
    }
    const port = server.port;
    if (config.getBool("always-show-logo") || (config.getText("logfile") === "" && isTty())) {
      // Like Redis's logo, it carries the port and pid (Redis's test suite waits for the pid).
      logRaw("notice", logo(port));
    } else log("notice", `Running mode=standalone, port=${port}.`);
    log("warning", "Server initialized");
    // Like Redis, the data is loaded once the server is initialized (and its banner, with the
    // pid, is out); a failure is logged where the log goes and ends the process.
    try {
      server.loadData();
    } catch (e) {
      if (e instanceof AofError && e.report !== null) {
        // Redis's own report of this error (a bad manifest, a missing file), then exit 1.
        for (const line of e.report) log("warning", line);
        throw new StartupError("");
      }
      const msg = (e as Error).message.replace(/\.$/, "");
      log("warning", `Fatal error loading the DB: ${msg}. Exiting.`);
      throw new StartupError(
        fatalLine(`Can't load the data in '${config.getText("dir")}': ${(e as Error).message}`),
      );
    }
    try {
      server.listen();
    } catch (e) {
      throw new StartupError(
        fatalLine(
          isPermissionError(e)
            ? `${(e as Error).message} (run deno with --allow-net)`
            : (e as Error).message,
        ),
      );
    }
    const pidfile = config.getText("pidfile");
    if (pidfile !== "") {
      try {
        Deno.writeTextFileSync(pidfile, `${Deno.pid}\n`);
      } catch (e) {
        log("warning", `Failed to write PID file: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    if (e instanceof StartupError) {
      // An empty message: the error was already logged.
      if (e.message !== "") {
        const text = e.message.endsWith("\n") ? e.message : e.message + "\n";
        Deno.stderr.writeSync(new TextEncoder().encode(text));
      }
      return 1;
    }
    throw e;
  }
  server.handleSignals();
  await server.finished;
  const pidfile = server.config.getText("pidfile");
  if (pidfile !== "") {
    try {
      Deno.removeSync(pidfile);
    } catch { /* already gone */ }
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
