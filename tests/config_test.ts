import { deepStrictEqual, match, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { Redis } from "ioredis";
import { Config, ConfigError, parseMemory, SetError } from "../src/config/config.ts";
import {
  ConfigFileError,
  IncludeError,
  loadConfig,
  parseCommandLine,
  rewriteConfig,
  startupConfigText,
} from "../src/config/file.ts";
import { globMatch } from "../src/store/glob.ts";
import { Server } from "../src/server/server.ts";
import { startServer } from "./_server.ts";

const noFiles = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

function load(text: string, files: Record<string, string> = {}): Config {
  const config = new Config();
  loadConfig(config, text, {
    readFile: (p) => {
      if (!(p in files)) throw new Error("ENOENT");
      return files[p]!;
    },
  });
  return config;
}

function fileError(text: string): ConfigFileError {
  try {
    load(text);
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error("no error");
}

const get = (config: Config, ...patterns: string[]) =>
  config.get(patterns, (p, n) => globMatch(p, n, true));

// ---- config file parsing

Deno.test("config file: directives, comments, blank lines, quoting and case", () => {
  const c = load(
    [
      "# a comment",
      "",
      "   # an indented comment",
      "PORT 7000",
      "  hz   20  ",
      'requirepass "with space and \\x41 \\"quote\\""',
      "masteruser 'single \\' quoted'",
      "maxmemory 1gb",
      "appendonly YES",
      "notify-keyspace-events KEA",
      "bind 127.0.0.1 ::1",
    ].join("\n"),
  );
  strictEqual(c.getNumber("port"), 7000);
  strictEqual(c.getNumber("hz"), 20);
  strictEqual(c.getString("requirepass"), 'with space and A "quote"');
  strictEqual(c.getString("masteruser"), "single ' quoted");
  strictEqual(c.getText("maxmemory"), "1073741824");
  strictEqual(c.getBool("appendonly"), true);
  strictEqual(c.getText("notify-keyspace-events"), "AKE");
  strictEqual(c.getText("bind"), "127.0.0.1 ::1");
});

Deno.test('config file: save lines accumulate, the first replaces the default, save "" clears', () => {
  strictEqual(load("save 900 1\nsave 300 10").getText("save"), "900 1 300 10");
  strictEqual(load('save 900 1\nsave ""\nsave 20 2').getText("save"), "20 2");
  strictEqual(load('save ""').getText("save"), "");
  strictEqual(load("hz 5").getText("save"), "3600 1 300 100 60 10000");
  // Command-line saves add to the file's, as with redis-server.
  const cl = parseCommandLine(["--save", "30", "3"]);
  strictEqual(
    load(startupConfigText("save 10 1\nsave 20 2\n", cl.options)).getText("save"),
    "10 1 20 2 30 3",
  );
});

Deno.test("config file: include reads the file through the callback, recursively", () => {
  const c = load("hz 5\ninclude /etc/a.conf\nport 7001", {
    "/etc/a.conf": "include /etc/b.conf\nmaxclients 50\nsave 10 1",
    "/etc/b.conf": "timeout 9\nsave 20 2",
  });
  strictEqual(c.getNumber("hz"), 5);
  strictEqual(c.getNumber("maxclients"), 50);
  strictEqual(c.getNumber("timeout"), 9);
  strictEqual(c.getNumber("port"), 7001);
  strictEqual(c.getText("save"), "20 2 10 1");
});

Deno.test("config file: a missing include is an IncludeError naming the path", () => {
  throws(
    () => load("include /nope.conf"),
    (e) => e instanceof IncludeError && e.path === "/nope.conf",
  );
});

Deno.test("config file: an include cycle stops with an error instead of looping", () => {
  throws(
    () => load("include /a.conf", { "/a.conf": "include /a.conf" }),
    (e) => e instanceof ConfigFileError && /nested include/.test(e.reason),
  );
});

Deno.test("config file: errors name the line and reason, in Redis's report format", () => {
  const e = fileError('port 7000\nport "abc"');
  strictEqual(e.line, 2);
  strictEqual(e.text, 'port "abc"');
  strictEqual(
    e.report,
    "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n" +
      ">>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n",
  );
  strictEqual(fileError("# c\nfoo bar").reason, "Bad directive or wrong number of arguments");
  strictEqual(fileError('port "a').reason, "Unbalanced quotes in configuration line");
  strictEqual(fileError("appendonly yes no").reason, "wrong number of arguments");
  strictEqual(fileError("port").reason, "wrong number of arguments");
  strictEqual(fileError("include").reason, "Bad directive or wrong number of arguments");
  strictEqual(fileError("save 100").reason, "Invalid save parameters");
  strictEqual(fileError("maxmemory 1x").reason, "argument must be a memory value");
  strictEqual(fileError("dbfilename a/b").reason, "dbfilename can't be a path, just a filename");
  strictEqual(fileError("replicaof localhost abc").reason, "Invalid master port");
  strictEqual(
    fileError("loglevel loud").reason,
    "argument(s) must be one of the following: debug, verbose, notice, warning",
  );
  strictEqual(fileError("port 99999").reason, "argument must be between 0 and 65535 inclusive");
  strictEqual(
    fileError("unixsocketperm 999").reason,
    "argument couldn't be parsed as an octal number",
  );
});

Deno.test("config file: immutable parameters can be set at startup", () => {
  const c = load("databases 4\ndaemonize yes\nenable-debug-command no\nslaveof 10.0.0.1 6380");
  strictEqual(c.getNumber("databases"), 4);
  strictEqual(c.getBool("daemonize"), true);
  strictEqual(c.getString("enable-debug-command"), "no");
  strictEqual(c.getText("replicaof"), "10.0.0.1 6380");
});

// ---- command line

Deno.test("command line: config file first, then --name values until the next option", () => {
  const cl = parseCommandLine(["/etc/c.conf", "--port", "7777", "--save", "--bind", "a", "b"]);
  strictEqual(cl.configFile, "/etc/c.conf");
  strictEqual(cl.options, 'port "7777"\nsave ""\nbind "a" "b"');
  deepStrictEqual(parseCommandLine(["--save"]).options, 'save ""');
  strictEqual(parseCommandLine(["--save", ""]).options, 'save ""');
  strictEqual(parseCommandLine(["--requirepass", 'a"b\\c']).options, 'requirepass "a\\"b\\\\c"');
  strictEqual(parseCommandLine(["-v"]).version, true);
  strictEqual(parseCommandLine(["--version"]).version, true);
  strictEqual(parseCommandLine(["-h"]).help, true);
  strictEqual(parseCommandLine(["--port", "1"]).configFile, null);
});

Deno.test("command line: redis-server 7.0's rules for values that look like options", () => {
  const opts = (...a: string[]) => parseCommandLine(a).options;
  // An option without a value yet takes the next argument, even one starting with "--".
  strictEqual(opts("--port", "--loglevel", "verbose"), 'port "--loglevel" "verbose"');
  strictEqual(opts("--port", "--bla", "--loglevel", "verbose"), 'port "--bla"\nloglevel "verbose"');
  strictEqual(opts("--replicaof", "--127.0.0.1", "--abc"), 'replicaof "--127.0.0.1"\nabc');
  // "--name value" in one argument, and bare words before any option.
  strictEqual(
    opts("--maxmemory 700mb", "--maxmemory-policy volatile-lru"),
    "maxmemory 700mb\nmaxmemory-policy volatile-lru",
  );
  strictEqual(
    opts("x.conf", "loglevel", "verbose", "--maxmemory '700mb'"),
    '"loglevel" "verbose"\nmaxmemory \'700mb\'',
  );
  // A bare --save is save "", but may itself be the value of a preceding option.
  strictEqual(opts("--save", "--loglevel", "verbose"), 'save ""\nloglevel "verbose"');
  strictEqual(
    opts("--proc-title-template", "--save", "--save", "", "--loglevel", "verbose"),
    'proc-title-template "--save"\nsave ""\nloglevel "verbose"',
  );
  const c = load(
    startupConfigText(
      "",
      opts(
        "--shutdown-on-sigint",
        "nosave",
        "force",
        "now",
        "--shutdown-on-sigterm",
        "nosave force",
        "--maxmemory 700mb",
      ),
    ),
  );
  strictEqual(c.getText("shutdown-on-sigint"), "nosave now force");
  strictEqual(c.getText("shutdown-on-sigterm"), "nosave force");
  strictEqual(c.getText("maxmemory"), "734003200");
  const e = fileError(startupConfigText("", opts("--shutdown-on-sigint")));
  strictEqual(
    e.reason,
    "argument(s) must be one of the following: default, save, nosave, now, force",
  );
});

Deno.test("command line: errors count lines after the file text plus one", () => {
  // As redis-server: "<file>\n<options>", so with no file an option starts at line 2.
  const e1 = fileError(startupConfigText("", parseCommandLine(["--port", "abc"]).options));
  strictEqual(e1.line, 2);
  strictEqual(e1.text, 'port "abc"');
  const e2 = fileError(
    startupConfigText("port 1\nhz 10", parseCommandLine(["--port", "x"]).options),
  );
  strictEqual(e2.line, 3);
  const e3 = fileError(startupConfigText("", parseCommandLine(["--save", "--port", "x"]).options));
  strictEqual(e3.line, 3);
  strictEqual(
    fileError(startupConfigText("", parseCommandLine(["--foo", "bar"]).options)).text,
    'foo "bar"',
  );
});

// ---- the schema

Deno.test("config: defaults match Redis 7.0 except cedis's deliberate ones", () => {
  const c = new Config();
  const all = new Map(get(c, "*"));
  strictEqual(all.get("bind"), "127.0.0.1 -::1");
  strictEqual(all.get("enable-debug-command"), "local");
  strictEqual(all.get("save"), "3600 1 300 100 60 10000");
  strictEqual(all.get("hash-max-listpack-entries"), "512");
  strictEqual(all.get("hash-max-ziplist-entries"), "512");
  strictEqual(
    all.get("client-output-buffer-limit"),
    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
  );
  strictEqual(all.get("maxclients"), "10000");
  strictEqual(all.get("oom-score-adj"), "no");
  strictEqual(all.get("latency-tracking"), "yes");
  // Hidden debug parameters answer only to their exact name.
  strictEqual(all.has("key-load-delay"), false);
  deepStrictEqual(get(c, "key-load-delay"), [["key-load-delay", "0"]]);
  // 172 visible names (canonical and aliases) as redis-server 7.0 without TLS shows.
  strictEqual(all.size, 172);
});

Deno.test("config: CONFIG GET answers exact names as typed, globs case-insensitively, once each", () => {
  const c = new Config();
  deepStrictEqual(get(c, "MAXMEMORY"), [["MAXMEMORY", "0"]]);
  deepStrictEqual(get(c, "maxmemory-po*"), [["maxmemory-policy", "noeviction"]]);
  deepStrictEqual(get(c, "MAXMEMORY-PO*"), [["maxmemory-policy", "noeviction"]]);
  deepStrictEqual(get(c, "hz", "hz", "HZ"), [["hz", "10"]]);
  deepStrictEqual(get(c, "slaveof"), [["slaveof", ""]]);
  deepStrictEqual(get(c, "nosuch", "nosuch*"), []);
  deepStrictEqual(get(c, "*ziplist-size").map(([k]) => k), ["list-max-ziplist-size"]);
});

Deno.test("config: values are validated and normalised like Redis", () => {
  const c = new Config();
  const reason = (name: string, value: string) => {
    try {
      c.set(name, value);
    } catch (e) {
      return (e as ConfigError).message;
    }
    return "OK " + c.getText(name);
  };
  strictEqual(reason("hz", "+5"), "argument couldn't be parsed into an integer");
  strictEqual(reason("hz", "05"), "argument couldn't be parsed into an integer");
  strictEqual(reason("hz", "-1"), "argument must be between 0 and 2147483647 inclusive");
  strictEqual(reason("hz", "0"), "OK 1");
  strictEqual(reason("hz", "1000"), "OK 500");
  strictEqual(reason("maxmemory", "05"), "OK 5");
  strictEqual(reason("maxmemory", ""), "OK 0");
  strictEqual(reason("maxmemory", "5KB"), "OK 5120");
  strictEqual(reason("maxmemory", "1G"), "OK 1000000000");
  strictEqual(reason("maxmemory", "-1"), "argument must be a memory value");
  strictEqual(reason("maxmemory", "99999999999999999999999"), "OK 18446744073709551615");
  strictEqual(
    reason("proto-max-bulk-len", "1k"),
    "argument must be between 1048576 and 9223372036854775807 inclusive",
  );
  strictEqual(reason("appendonly", "YES"), "OK yes");
  strictEqual(reason("appendonly", "1"), "argument must be 'yes' or 'no'");
  strictEqual(reason("maxmemory-policy", "ALLKEYS-LRU"), "OK allkeys-lru");
  strictEqual(reason("save", "  100    10  "), "Invalid save parameters");
  strictEqual(reason("save", "01 5"), "OK 1 5");
  strictEqual(reason("save", "0 1"), "Invalid save parameters");
  strictEqual(reason("notify-keyspace-events", "Edmn"), "OK dnEm");
  strictEqual(reason("notify-keyspace-events", "g$lshzxetdK"), "OK AK");
  strictEqual(
    reason("notify-keyspace-events", "Z"),
    "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
  );
  strictEqual(
    reason("client-output-buffer-limit", "normal 1k 2k 3"),
    "OK normal 1000 2000 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
  );
  // Buffer limits change relative to the current value.
  strictEqual(
    reason("client-output-buffer-limit", "replica 1 2 3"),
    "OK normal 1000 2000 3 slave 1 2 3 pubsub 33554432 8388608 60",
  );
  strictEqual(reason("maxmemory-clients", "10%"), "OK 10%");
  strictEqual(
    reason("maxmemory-clients", "101%"),
    "percentage argument must be less or equal to 100",
  );
  strictEqual(reason("shutdown-on-sigint", "NOW nosave"), "OK nosave now");
  strictEqual(
    reason("shutdown-on-sigint", "save nosave"),
    "shutdown options SAVE and NOSAVE can't be used simultaneously",
  );
  strictEqual(reason("repl-backlog-size", "1k"), "OK 16384");
  strictEqual(
    reason("proc-title-template", "{title}"),
    "template format is invalid or contains unknown variables",
  );
  strictEqual(
    reason("activedefrag", "yes").startsWith("Active defragmentation cannot be enabled"),
    true,
  );
  strictEqual(reason("daemonize", "yes"), "can't set immutable config");
  strictEqual(parseMemory("1gb"), 1073741824n);
  strictEqual(parseMemory("1tb"), null);
});

Deno.test("config: setMany checks names first, then values, and changes nothing on failure", () => {
  const c = new Config();
  const fails = (pairs: [string, string][]) => {
    try {
      c.setMany(pairs);
    } catch (e) {
      return (e as SetError).reply;
    }
    return "OK";
  };
  strictEqual(
    fails([["hz", "x"], ["foo", "1"]]),
    "ERR Unknown option or number of arguments for CONFIG SET - 'foo'",
  );
  strictEqual(
    fails([["hz", "x"], ["daemonize", "no"]]),
    "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
  );
  strictEqual(
    fails([["hz", "1"], ["HZ", "2"]]),
    "ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter",
  );
  strictEqual(
    fails([["dir", "/tmp"]]),
    "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
  );
  strictEqual(
    fails([["hz", "12"], ["maxmemory", "bad"]]),
    "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
  );
  strictEqual(c.getNumber("hz"), 10);
  // An alias and its target are different names: both apply.
  strictEqual(fails([["slave-read-only", "no"], ["replica-read-only", "yes"]]), "OK");
  strictEqual(c.getBool("replica-read-only"), true);
});

Deno.test("config: a failing applier rolls every parameter of the call back", () => {
  const c = new Config();
  const seen: string[] = [];
  c.onChange((name, value) => seen.push(`${name}=${value}`));
  c.onApply("port", (_, v) => {
    if (v === 1) throw new ConfigError("Unable to listen on this port. Check server logs.");
  });
  throws(
    () => c.setMany([["hz", "20"], ["port", "1"]]),
    (e) => e instanceof SetError && e.param === "port" && /Unable to listen/.test(e.reply),
  );
  strictEqual(c.getNumber("hz"), 10);
  strictEqual(c.getNumber("port"), 6379);
  deepStrictEqual(seen, []);
  c.setMany([["hz", "20"], ["port", "7000"]]);
  deepStrictEqual(seen, ["hz=20", "port=7000"]);
});

Deno.test("config: protected parameters follow enable-protected-configs", () => {
  const local = new Config();
  local.set("enable-protected-configs", "local", true);
  throws(() => local.setMany([["dbfilename", "x.rdb"]], { local: false }), SetError);
  local.setMany([["dbfilename", "x.rdb"]], { local: true });
  strictEqual(local.getText("dbfilename"), "x.rdb");
});

// ---- CONFIG REWRITE text

Deno.test("rewrite: keeps comments and unknown lines, rewrites in place, appends the rest", () => {
  const c = load("port 7000\nslaveof 10.0.0.1 1\nsave 900 1\nsave 300 10\nhz 10\n");
  c.set("hz", "20");
  c.set("save", "100 1");
  c.set("maxmemory", "2gb");
  c.set("timeout", "30");
  c.set("client-output-buffer-limit", "normal 1mb 2mb 3");
  c.set("notify-keyspace-events", "KEA");
  c.set("dir", "/data/x", true);
  const old = [
    "# my comment",
    "port 7000",
    "slaveof 10.0.0.1 1",
    "save 900 1",
    "save 300 10",
    "  # indented comment",
    "hz 10",
    "user default on nopass ~* &* +@all",
    "",
    "",
    "include /etc/other.conf",
    "",
  ].join("\n");
  strictEqual(
    rewriteConfig(c, old),
    [
      "# my comment",
      "port 7000",
      "replicaof 10.0.0.1 1",
      "save 100 1",
      "",
      "# indented comment",
      "hz 20",
      "user default on nopass ~* &* +@all",
      "",
      "include /etc/other.conf",
      "",
      "# Generated by CONFIG REWRITE",
      "timeout 30",
      "client-output-buffer-limit normal 1mb 2mb 3",
      'dir "/data/x"',
      "maxmemory 2gb",
      'notify-keyspace-events "AKE"',
      "",
    ].join("\n"),
  );
});

Deno.test("rewrite: rewriting again is stable and adds no second signature", () => {
  const c = new Config();
  c.set("dir", "/d", true);
  c.set("maxclients", "11");
  // Like Redis, the final newline becomes one blank line the first time round.
  const once = rewriteConfig(c, rewriteConfig(c, "port 7000\n"));
  ok(once.endsWith('dir "/d"\n\n'));
  strictEqual(rewriteConfig(c, once), once);
  c.set("hz", "11");
  const twice = rewriteConfig(c, once);
  strictEqual(twice.split("# Generated by CONFIG REWRITE").length, 2);
  ok(twice.endsWith("\nhz 11\n"));
  // Disabled snapshots are written explicitly so the defaults don't come back.
  c.set("save", "");
  match(rewriteConfig(c, ""), /^save ""$/m);
  // Memory values are written with units when whole.
  c.set("maxmemory", "1025");
  match(rewriteConfig(c, ""), /^maxmemory 1025$/m);
  c.set("repl-backlog-size", "16384");
  match(rewriteConfig(c, ""), /^repl-backlog-size 16kb$/m);
});

// ---- CONFIG GET/SET/REWRITE/RESETSTAT through a client

Deno.test("CONFIG GET/SET through ioredis, RESP2 flat arrays", async () => {
  const t = startServer();
  const r = new Redis({ port: t.port, lazyConnect: true });
  await r.connect();
  try {
    deepStrictEqual(await r.config("GET", "maxmemory"), ["maxmemory", "0"]);
    strictEqual(await r.config("SET", "maxmemory", "1gb", "hz", "20"), "OK");
    deepStrictEqual(await r.call("CONFIG", "GET", "maxmemory", "hz"), [
      "maxmemory",
      "1073741824",
      "hz",
      "20",
    ]);
    strictEqual(t.server.config.getNumber("hz"), 20);
    await rejects(
      r.config("SET", "foo", "bar"),
      { message: "ERR Unknown option or number of arguments for CONFIG SET - 'foo'" },
    );
    await rejects(
      r.config("SET", "maxmemory", "abc"),
      {
        message:
          "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
      },
    );
    await rejects(r.call("CONFIG", "SET", "hz", "1", "x"), { message: "ERR syntax error" });
    await rejects(r.call("CONFIG", "GET"), {
      message: "ERR wrong number of arguments for 'config|get' command",
    });
    const dir = (await r.config("GET", "dir")) as string[];
    ok(dir[1]!.startsWith("/"), `dir is absolute: ${dir[1]}`);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("CONFIG GET replies a RESP3 map after HELLO 3", async () => {
  const t = startServer();
  try {
    const raw = await Deno.connect({ hostname: "127.0.0.1", port: t.port });
    await raw.write(new TextEncoder().encode("HELLO 3\r\nCONFIG GET hz\r\n"));
    let text = "";
    const buf = new Uint8Array(4096);
    while (!text.endsWith("$2\r\n10\r\n")) {
      const n = await raw.read(buf);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    raw.close();
    ok(text.endsWith("%1\r\n$2\r\nhz\r\n$2\r\n10\r\n"), JSON.stringify(text));
  } finally {
    await t.close();
  }
});

Deno.test("CONFIG REWRITE writes the config file, or says there is none", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/cedis.conf`;
  await Deno.writeTextFile(file, "# keep me\nhz 10\nport 0\n");
  const config = new Config();
  loadConfig(config, await Deno.readTextFile(file), { readFile: noFiles });
  config.set("bind", "127.0.0.1", true);
  config.set("save", "", true);
  const server = new Server({ config, configFile: file, quiet: true });
  server.listen();
  const r = new Redis({ port: server.port, lazyConnect: true });
  await r.connect();
  const t = startServer();
  const r2 = new Redis({ port: t.port, lazyConnect: true });
  await r2.connect();
  try {
    await r.config("SET", "hz", "15", "maxmemory", "10mb");
    strictEqual(await r.config("REWRITE"), "OK");
    const text = await Deno.readTextFile(file);
    match(text, /^# keep me\nhz 15\nport 0\n/);
    match(text, /^# Generated by CONFIG REWRITE$/m);
    match(text, /^maxmemory 10mb$/m);
    match(text, /^save ""$/m);
    // The rewritten file loads back to the same values.
    const back = new Config();
    loadConfig(back, text, { readFile: noFiles });
    strictEqual(back.getNumber("hz"), 15);
    strictEqual(back.getNumber("maxmemory"), 10 * 1024 * 1024);
    await rejects(r2.config("REWRITE"), {
      message: "ERR The server is running without a config file",
    });
  } finally {
    r.disconnect();
    r2.disconnect();
    await server.close();
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CONFIG SET port rebinds; a port in use fails and keeps the old one", async () => {
  const t = startServer();
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const freePort = (free.addr as Deno.NetAddr).port;
  free.close();
  const r = new Redis({ port: t.port, lazyConnect: true, retryStrategy: () => null });
  await r.connect();
  try {
    const busyPort = (busy.addr as Deno.NetAddr).port;
    await rejects(
      r.config("SET", "port", String(busyPort)),
      {
        message:
          "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.",
      },
    );
    deepStrictEqual(await r.config("GET", "port"), ["port", "0"]);
    strictEqual(await r.config("SET", "port", String(freePort)), "OK");
    // The connection made before the change stays; new ones use the new port.
    strictEqual(await r.ping(), "PONG");
    strictEqual(t.server.port, freePort);
    const r2 = new Redis({ port: freePort, lazyConnect: true });
    await r2.connect();
    strictEqual(await r2.ping(), "PONG");
    r2.disconnect();
    await rejects(
      r.config("SET", "bind", "127.0.0.1 192.0.2.55"),
      {
        message:
          "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.",
      },
    );
    deepStrictEqual(await r.config("GET", "bind"), ["bind", "127.0.0.1"]);
    const r3 = new Redis({ port: freePort, lazyConnect: true });
    await r3.connect();
    strictEqual(await r3.ping(), "PONG");
    r3.disconnect();
  } finally {
    busy.close();
    r.disconnect();
    await t.close();
  }
});

Deno.test("CONFIG SET maxclients applies to new connections", async () => {
  const t = startServer();
  const r = new Redis({ port: t.port, lazyConnect: true });
  await r.connect();
  try {
    await r.config("SET", "maxclients", "1");
    const raw = await Deno.connect({ hostname: "127.0.0.1", port: t.port });
    const buf = new Uint8Array(100);
    const n = await raw.read(buf);
    strictEqual(
      new TextDecoder().decode(buf.subarray(0, n ?? 0)),
      "-ERR max number of clients reached\r\n",
    );
    raw.close();
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("CONFIG SET dir needs enable-protected-configs and an existing directory", async () => {
  const t = startServer({ "enable-protected-configs": "yes" });
  const r = new Redis({ port: t.port, lazyConnect: true });
  await r.connect();
  const dir = await Deno.makeTempDir();
  try {
    await rejects(
      r.config("SET", "dir", `${dir}/missing`),
      {
        message:
          "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory",
      },
    );
    strictEqual(await r.config("SET", "dir", dir), "OK");
    deepStrictEqual(await r.config("GET", "dir"), ["dir", dir]);
  } finally {
    r.disconnect();
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

// ---- startup through main.ts

async function runMain(args: string[], perms = ["-A"]) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", ...perms, new URL("../main.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
  });
  const out = await cmd.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("startup: a bad argument prints Redis's fatal report and exits 1", async () => {
  const r = await runMain(["--port", "abc"]);
  strictEqual(r.code, 1);
  strictEqual(
    r.stderr,
    "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n" +
      ">>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n",
  );
  const u = await runMain(["--nosuch", "1"]);
  strictEqual(u.code, 1);
  match(u.stderr, />>> 'nosuch "1"'\nBad directive or wrong number of arguments/);
});

Deno.test("startup: bad config file line, missing file, and --version", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.conf`, "# comment\nhz 10\nmaxmemory 12x\n");
    const r = await runMain([`${dir}/bad.conf`]);
    strictEqual(r.code, 1);
    match(r.stderr, /at line 3\n>>> 'maxmemory 12x'\nargument must be a memory value\n/);
    const m = await runMain([`${dir}/none.conf`]);
    strictEqual(m.code, 1);
    match(
      m.stderr,
      new RegExp(
        `Fatal error, can't open config file '${dir}/none.conf': No such file or directory`,
      ),
    );
    const v = await runMain(["--version"]);
    strictEqual(v.code, 0);
    match(v.stdout, /^cedis server v=7\.0\.15 /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startup: missing read/write permissions name the path and the flag", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ok.conf`, "port 0\n");
    const r = await runMain([`${dir}/ok.conf`], ["--allow-net"]);
    strictEqual(r.code, 1);
    match(
      r.stderr,
      new RegExp(
        `can't open config file '${dir}/ok.conf': permission denied \\(run deno with --allow-read=${dir}/ok.conf\\)`,
      ),
    );
    const d = await runMain(
      ["--port", "0", "--dir", `${dir}/data`],
      ["--allow-net", `--allow-read=${dir}/data`],
    );
    strictEqual(d.code, 1);
    match(
      d.stderr,
      new RegExp(
        `data directory '${dir}/data': no write permission \\(run deno with --allow-read=${dir}/data --allow-write=${dir}/data\\)`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
