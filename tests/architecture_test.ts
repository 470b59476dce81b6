/**
 * The layer rules of the architecture (README "Design"), checked on every test run: platform
 * APIs (`Deno.*`) only in the network edge and the entry files, imports only from the same
 * layer or an inner one, and writes counted only through the keyspace's write API.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/** Layer rank of each directory of src/: a module may import only from ranks <= its own. */
const RANK: Record<string, number> = {
  resp: 1,
  store: 2,
  lua: 2,
  config: 2,
  types: 3,
  persistence: 4,
  commands: 5,
  engine: 6,
  server: 7,
};

/** Every .ts file under `dir` (recursively), as paths relative to the project root. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(join(ROOT, dir))) {
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...sources(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Source text without comments, so a doc comment that mentions `Deno.x` is not a use. */
function code(path: string): string {
  return Deno.readTextFileSync(join(ROOT, path))
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

function layerOf(path: string): string {
  return path.split("/")[1]!;
}

Deno.test("every directory of src/ has a layer rank", () => {
  const dirs = [...Deno.readDirSync(join(ROOT, "src"))].filter((e) => e.isDirectory)
    .map((e) => e.name);
  for (const d of dirs) assert.ok(d in RANK, `src/${d} has no layer rank in this test`);
});

Deno.test("Deno.* is used only by the network edge (src/server) and the entry files", () => {
  const offenders = sources("src")
    .filter((p) => layerOf(p) !== "server")
    .filter((p) => /\bDeno\./.test(code(p)));
  assert.deepEqual(offenders, []);
});

Deno.test("pure layers use no runtime crypto (SHA-1 is src/store/sha1.ts)", () => {
  const offenders = sources("src")
    .filter((p) => layerOf(p) !== "server")
    .filter((p) => /from\s+"node:crypto"/.test(code(p)));
  assert.deepEqual(offenders, []);
});

Deno.test("no module imports from an outer layer", () => {
  const violations: string[] = [];
  for (const p of sources("src")) {
    const rank = RANK[layerOf(p)]!;
    for (const m of code(p).matchAll(/\bfrom\s+"(\.[^"]+)"/g)) {
      const target = relative(ROOT, join(ROOT, p, "..", m[1]!));
      if (!target.startsWith("src/")) {
        violations.push(`${p} imports ${m[1]} outside src/`);
        continue;
      }
      const r = RANK[layerOf(target)];
      if (r === undefined || r > rank) violations.push(`${p} imports ${target}`);
    }
  }
  assert.deepEqual(violations, []);
});

Deno.test("writes are counted only through the keyspace write API", () => {
  const offenders = sources("src")
    .filter((p) => p !== "src/store/keyspace.ts" && layerOf(p) !== "persistence")
    .filter((p) => /\b(dirty|writes)\s*(\+\+|--|\+=|-=)/.test(code(p)));
  assert.deepEqual(offenders, []);
});

Deno.test("the layer check itself catches an outward import and a Deno call", () => {
  // Guard against a check that can't fail: the patterns match what they must.
  assert.ok(/\bDeno\./.test(`const x = Deno.pid;`));
  const fake = `import { Server } from "../server/server.ts";`;
  const m = [...fake.matchAll(/\bfrom\s+"(\.[^"]+)"/g)];
  assert.equal(m.length, 1);
  const target = relative(ROOT, join(ROOT, "src/store/keyspace.ts", "..", m[0]![1]!));
  assert.equal(target, "src/server/server.ts");
  assert.ok(RANK[layerOf(target)]! > RANK.store!);
  assert.ok(/\b(dirty|writes)\s*(\+\+|--|\+=|-=)/.test("c.ks.dirty++;"));
});
