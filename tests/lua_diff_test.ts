/**
 * Differential tests: every tests/lua_diff/*.lua program is run in our engine with `print`
 * captured and compared byte for byte with its committed .expected output, which
 * tools/lua_diff_regen.sh produces with `lua5.1 tests/lua_diff/<name>.lua`. When lua5.1
 * is on PATH the .expected files are also checked against it.
 *
 * An uncaught error is reported like the lua5.1 standalone interpreter does
 * (`lua5.1: <message>` plus a traceback); programs here avoid uncaught errors, so only
 * the first line is compared for them.
 */

import assert from "node:assert/strict";
import { LuaError, LuaState, luaToString } from "../src/lua/mod.ts";

/** Project root (the tests run from anywhere; paths and chunk names are root-relative). */
const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);
const DIR = "tests/lua_diff";

function programs(): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(ROOT + DIR)) {
    if (e.isFile && e.name.endsWith(".lua")) out.push(e.name);
  }
  return out.sort();
}

/** Bytes to binary string. */
function fromBytes(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, i + 8192));
  }
  return s;
}

function runOurs(name: string): string {
  const path = `${DIR}/${name}`;
  const src = fromBytes(Deno.readFileSync(ROOT + path));
  const L = new LuaState();
  let out = "";
  L.onPrint = (line) => {
    out += line + "\n";
  };
  try {
    L.call(L.load(src, "@" + path), []);
  } catch (e) {
    if (!(e instanceof LuaError)) throw e;
    out += `lua5.1: ${luaToString(e.value)}\n`;
  }
  return out;
}

let haveLua = false;
try {
  const r = new Deno.Command("lua5.1", { args: ["-v"], stdout: "null", stderr: "null" })
    .outputSync();
  haveLua = r.success;
} catch {
  haveLua = false;
}

/** Compares outputs; for a trailing uncaught error only its first line is compared. */
function normalize(s: string): string {
  const i = s.indexOf("\nlua5.1: ");
  const j = s.startsWith("lua5.1: ") ? 0 : i >= 0 ? i + 1 : -1;
  if (j < 0) return s;
  const nl = s.indexOf("\n", j);
  return s.slice(0, nl < 0 ? s.length : nl + 1);
}

let totalLines = 0;
for (const name of programs()) {
  Deno.test(`lua_diff: ${name} matches lua5.1 output`, () => {
    const expected = fromBytes(
      Deno.readFileSync(`${ROOT}${DIR}/${name.replace(/\.lua$/, ".expected")}`),
    );
    const ours = runOurs(name);
    totalLines += expected.split("\n").length - 1;
    assert.equal(normalize(ours), normalize(expected));
  });
  if (haveLua) {
    Deno.test(`lua_diff: ${name}.expected is what lua5.1 prints`, () => {
      const r = new Deno.Command("lua5.1", {
        args: [`${DIR}/${name}`],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).outputSync();
      const got = fromBytes(r.stdout) + fromBytes(r.stderr);
      const expected = fromBytes(
        Deno.readFileSync(`${ROOT}${DIR}/${name.replace(/\.lua$/, ".expected")}`),
      );
      assert.equal(got, expected);
    });
  }
}

Deno.test("lua_diff: summary", () => {
  assert.ok(programs().length > 0);
  console.log(`${programs().length} programs, ${totalLines} expected lines compared`);
});
