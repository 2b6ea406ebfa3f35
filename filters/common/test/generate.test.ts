// The committed assembly/generated/words.ts is what scripts/generate.ts makes of lists.ts, and
// each list survives the trip to UTF-8 (a list edited without regenerating would be built into a
// module stale only where the build did not run the generator).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { GENERATED_WORDS_PATH, renderWords, wordLists } from "../scripts/generate.ts";

test("assembly/generated/words.ts is current with the lists it is made from", () => {
  assert.equal(readFileSync(GENERATED_WORDS_PATH, "utf8"), renderWords(), "run: node --import tsx filters/common/scripts/generate.ts");
});

test("every tagged list is found, and its bytes decode to the list's text", () => {
  const lists = wordLists();
  assert.deepEqual(lists.map(([name]) => name).sort(), ["JSON_ERRORS", "KEY_NAMES", "PATTERN_ERRORS", "ROLE_NAMES", "STRUCTURAL_KEYS", "TYPE_NAMES", "TYPE_ROLE_NAMES", "VOCABULARY"]);
  const text = readFileSync(GENERATED_WORDS_PATH, "utf8");
  for (const [name, words] of lists) {
    const m = text.match(new RegExp(`const ${name}_UTF8: usize = memory\\.data<u8>\\(\\[([^\\]]*)\\]\\);\\nexport const ${name}_UTF8_LENGTH: i32 = (\\d+);`));
    assert.ok(m, name);
    const bytes = Buffer.from(m![1].split(",").map((s) => s.trim()).filter(Boolean).map(Number));
    assert.equal(bytes.length, Number(m![2]), name);
    assert.equal(bytes.toString("utf8"), words, name);
  }
});
