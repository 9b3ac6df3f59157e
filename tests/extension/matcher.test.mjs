// The extension's matcher, as the sites match their addresses. Run: node --test tests/extension
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const { compileTargets, findMatch } = require("../../extension/matcher.js");

const targets = compileTargets({
  version: 1,
  targets: [
    { label: "instagram: alex.example", prefix: "instagram.com/alex.example" },
    { label: "instagram: alex.example", prefix: "instagram.com/stories/alex.example" },
    { label: "facebook: 100000000000001", prefix: "facebook.com/profile.php?id=100000000000001" },
  ],
});

function labelOf(address) {
  const match = findMatch(targets, address);
  return match === null ? null : match.label;
}

test("the profile is matched on the site and its subdomains", () => {
  assert.equal(labelOf("https://instagram.com/alex.example"), "instagram: alex.example");
  assert.equal(labelOf("https://www.instagram.com/alex.example/"), "instagram: alex.example");
  assert.equal(labelOf("https://m.instagram.com/alex.example/?hl=en"), "instagram: alex.example");
  assert.equal(labelOf("https://www.instagram.com./alex.example/"), "instagram: alex.example");
});

test("the handle is matched without regard to case", () => {
  assert.equal(labelOf("https://www.instagram.com/Alex.Example/"), "instagram: alex.example");
  assert.equal(labelOf("https://WWW.INSTAGRAM.COM/ALEX.EXAMPLE"), "instagram: alex.example");
});

test("the profile's sub-pages are the profile", () => {
  assert.notEqual(labelOf("https://www.instagram.com/alex.example/reels/"), null);
  assert.notEqual(labelOf("https://www.instagram.com/stories/alex.example/123/"), null);
  assert.notEqual(labelOf("https://www.instagram.com/alex.example/#top"), null);
});

test("a similar name or another profile is someone else", () => {
  assert.equal(labelOf("https://www.instagram.com/alex.example2/"), null);
  assert.equal(labelOf("https://www.instagram.com/alex.exampl/"), null);
  assert.equal(labelOf("https://www.instagram.com/someoneelse/"), null);
  assert.equal(labelOf("https://www.instagram.com/"), null);
  assert.equal(labelOf("https://www.instagram.com/explore/alex.example/"), null);
});

test("a look-alike host is another site", () => {
  assert.equal(labelOf("https://notinstagram.com/alex.example/"), null);
  assert.equal(labelOf("https://instagram.com.example.org/alex.example/"), null);
});

test("percent-escapes and doubled slashes name the same page", () => {
  assert.notEqual(labelOf("https://www.instagram.com/%61lex.example/"), null);
  assert.notEqual(labelOf("https://www.instagram.com//alex.example/"), null);
});

test("a hash route to the profile is the profile", () => {
  assert.notEqual(labelOf("https://www.instagram.com/#/alex.example/"), null);
  assert.notEqual(labelOf("https://www.instagram.com/#!/Alex.Example"), null);
  assert.equal(labelOf("https://www.instagram.com/#alex.example"), null); // an anchor, not a route
  assert.equal(labelOf("https://www.instagram.com/#/alex.example2/"), null);
});

test("a query-string profile is matched wherever its parameter stands", () => {
  const page = "facebook: 100000000000001";
  assert.equal(labelOf("https://www.facebook.com/profile.php?id=100000000000001"), page);
  assert.equal(labelOf("https://m.facebook.com/profile.php?sk=about&id=100000000000001"), page);
  assert.equal(labelOf("https://www.facebook.com/profile.php?id=1000000000000012"), null);
  assert.equal(labelOf("https://www.facebook.com/profile.php"), null);
});

test("pages of the browser and of other schemes are never matched", () => {
  assert.equal(labelOf("chrome-extension://abc/blocked.html?label=instagram.com/alex.example"), null);
  assert.equal(labelOf("ftp://instagram.com/alex.example"), null);
  assert.equal(labelOf("not an address"), null);
});

test("malformed targets are left out and the others still hold", () => {
  const some = compileTargets({
    targets: [null, { label: "x" }, { prefix: "" }, { prefix: "x.com/alex_example" }],
  });
  assert.equal(some.length, 1);
  assert.equal(some[0].label, "");
  assert.notEqual(findMatch(some, "https://x.com/Alex_Example/status/1"), null);
  assert.deepEqual(compileTargets(undefined), []);
  assert.deepEqual(compileTargets({ targets: "no" }), []);
});

test("matching a hundred targets takes far less than the 300 ms budget", () => {
  const many = compileTargets({
    targets: Array.from({ length: 100 }, (_, n) => ({ label: `${n}`, prefix: `x.com/p${n}` })),
  });
  const started = process.hrtime.bigint();
  for (let n = 0; n < 1000; n += 1) {
    findMatch(many, "https://x.com/p99/with_replies");
  }
  const perMatchMs = Number(process.hrtime.bigint() - started) / 1e6 / 1000;
  assert.ok(perMatchMs < 5, `${perMatchMs} ms a match`);
});
