/** SHA-1 written here matches the reference digests (FIPS 180 examples and node:crypto). */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha1Hex } from "../src/store/sha1.ts";

Deno.test("sha1Hex gives the FIPS 180 example digests", () => {
  assert.equal(sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  assert.equal(sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  assert.equal(
    sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  );
});

Deno.test("sha1Hex matches node:crypto on binary input of every padding length", () => {
  for (let n = 0; n < 300; n++) {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode((i * 37 + n) & 255);
    assert.equal(sha1Hex(s), createHash("sha1").update(s, "latin1").digest("hex"), `n=${n}`);
  }
});
