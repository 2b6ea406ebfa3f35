// Writes assembly/model/patterns.ts: the fixed patterns' sources, phrase lists, letter tables and
// longest messages (patterns/*.ts) as UTF-8 bytes, DEFLATE-packed (Node's zlib; the module inflates
// them with filters/common/assembly/bytes/inflate.ts).
// An AssemblyScript string literal is UTF-16, two bytes for every ASCII character; the sources are
// mostly ASCII, so UTF-8 keeps about 20 KB out of the module, and packing more than half again
// (46.0 KB of bytes pack to 20.8 KB). The module inflates them once, at start; the filter decodes a source when it
// compiles the pattern (once per configure). scripts/build.mjs runs this before it compiles the
// filter; test/generate.test.ts checks the committed file is current.
import { writeIfChanged } from "../../common/scripts/write-if-changed.ts";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ADDRESSED, AI_MODE_CLAIMS, DROPS, MORE_ASKS, GOD_CLAIM, GRANDMA, EXTRACTION_PARTS, PERSONAS, MODES, NOT_DEMANDED, OTHER_ACTION, PROMPT_AFTER, SECRET_AFTER, TASKS, WRAPPERS } from "../patterns/asks.ts";
import { FOREIGN_TASKS, MARKERS, PHRASES } from "../patterns/modes.ts";
import { ARABIC_FORMS, CJK_COMPAT, CYRILLIC_BASE, GREEK_ACUTE, GREEK_DIAERESIS, GREEK_EXTENDED, HEBREW_FORMS, KANA_SEMI_VOICED, KANA_VOICED, LATIN_BASE, LETTER_FORMS } from "../patterns/letters.ts";
import * as messages from "../patterns/messages.ts";
import { buildLexicon } from "./features.ts";
import { inflateRawSync } from "node:zlib";
import { existsSync, readFileSync } from "node:fs";
import { HEADER_PATTERN, OWN_POSSESSIVES, OWN_POSSESSIVES_CJK, ROLE_PATTERNS, SYSTEM_NAMES, TASK_MARKERS, TRANSCRIPT_TASKS, USER_SPEAKERS } from "../patterns/roles.ts";
import { DOCUMENT_INTRO, PLANTED, PLANTED_ACTIONS, PLANTED_FOR_READER, PLANTED_OTHER } from "../patterns/planted.ts";
import { CONFIG_WORDS, NAMED_KEYS, REASONS, SKIP_KEYS } from "../patterns/keys.ts";
import { IMAGINE, PAYLOAD_SPLIT, PERSONAL_DATA, PERSONAL_ITEM, SCRAMBLED_CUES, PERSONAL_TARGET, REVERSAL_ASKED, SMUGGLE_CUES, STEMS } from "../patterns/smuggling.ts";

export const GENERATED_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "assembly", "model", "patterns.ts");

/** The groups, in id order: each becomes NAME_FIRST and NAME_COUNT constants. */
export function patternGroups(): Array<[string, string[]]> {
  return [
    ["ASK_EXTRACTION", EXTRACTION_PARTS],
    ["ASK_MODES", MODES],
    ["ASK_TASKS", TASKS],
    ["ASK_ADDRESSED", ADDRESSED],
    ["ASK_DROPS", DROPS],
    ["ASK_PERSONAS", PERSONAS],
    ["ASK_MORE", MORE_ASKS],
    ["MODE_MARKERS", [MARKERS]],
    ["MODE_PHRASES", [PHRASES]],
    ["ROLE_HEADER", [HEADER_PATTERN]],
    ["ROLE_MARKERS", ROLE_PATTERNS],
    ["TASK_MARKERS", TASK_MARKERS],
    ["FOREIGN_TASKS", [FOREIGN_TASKS]],
    ["JAILBREAK_WRAPPERS", [WRAPPERS, GRANDMA]],
    ["AI_MODE_CLAIMS", AI_MODE_CLAIMS],
    ["GOD_CLAIM", [GOD_CLAIM]],
    ["PAYLOAD_SPLIT", [PAYLOAD_SPLIT]],
    ["PERSONAL_DATA", [PERSONAL_DATA]],
    ["PERSONAL_IMAGINE", [IMAGINE]],
    ["PERSONAL_ITEM", [PERSONAL_ITEM]],
    ["PERSONAL_TARGET", [PERSONAL_TARGET]],
    ["DOCUMENT_INTRO", [DOCUMENT_INTRO]],
    ["PLANTED", [PLANTED, ...PLANTED_OTHER, PLANTED_FOR_READER, PLANTED_ACTIONS]],
    // Phrase lists ("|"-separated), not patterns.
    ["LIST_OTHER_ACTION", [OTHER_ACTION]],
    ["LIST_SECRET_AFTER", [SECRET_AFTER]],
    ["LIST_SKIP_KEYS", [SKIP_KEYS]],
    ["LIST_NAMED_KEYS", [NAMED_KEYS]],
    ["LIST_CONFIG_WORDS", [CONFIG_WORDS]],
    ["LIST_REASONS", [REASONS]],
    ["LIST_PROMPT_AFTER", [PROMPT_AFTER]],
    ["LIST_NOT_DEMANDED", [NOT_DEMANDED]],
    ["LIST_SCRAMBLED_CUES", [SCRAMBLED_CUES]],
    ["LIST_OWN_POSSESSIVES", [OWN_POSSESSIVES]],
    ["LIST_SYSTEM_NAMES", [SYSTEM_NAMES]],
    ["LIST_OWN_POSSESSIVES_CJK", [OWN_POSSESSIVES_CJK]],
    ["LIST_REVERSAL_ASKED", [REVERSAL_ASKED]],
    ["LIST_SMUGGLE_CUES", [SMUGGLE_CUES]],
    ["LIST_TRANSCRIPT_TASKS", [TRANSCRIPT_TASKS]],
    ["LIST_USER_SPEAKERS", [USER_SPEAKERS]],
    ["LIST_STEMS", [STEMS]],
    // Letter tables, one byte per code point (Latin-1, not UTF-8).
    ["TABLE_LATIN_BASE", [LATIN_BASE]],
    ["TABLE_CYRILLIC_BASE", [CYRILLIC_BASE]],
    ["TABLE_GREEK_EXTENDED", [GREEK_EXTENDED]],
    ["TABLE_ARABIC_FORMS", [ARABIC_FORMS]],
    ["TABLE_HEBREW_FORMS", [HEBREW_FORMS]],
    ["TABLE_CJK_COMPAT", [CJK_COMPAT]],
    ["TABLE_GREEK_ACUTE", [GREEK_ACUTE]],
    ["TABLE_GREEK_DIAERESIS", [GREEK_DIAERESIS]],
    ["TABLE_LETTER_FORMS", [LETTER_FORMS]],
    ["TABLE_KANA_VOICED", [KANA_VOICED]],
    ["TABLE_KANA_SEMI_VOICED", [KANA_SEMI_VOICED]],
    // The cue lexicon's concept ids, a byte each, in the order of its sorted keys (scripts/train.ts
    // writes the keys into assembly/model/weights.ts; features.ts conceptOf reads both).
    ["TABLE_LEXICON_CONCEPTS", [lexiconConceptTable()]],
    // The longest fixed messages (patterns/messages.ts), each a group of its own.
    ...Object.entries(messages).map(([name, text]): [string, string[]] => [name, [text]]),
  ];
}

/** The lexicon's concept ids (< 64) as a Latin-1 string, one character a key, keys sorted. */
function lexiconConceptTable(): string {
  return [...buildLexicon()].sort((a, b) => a[0] - b[0]).map(([, id]) => {
    if (id < 0 || id > 255) throw new Error(`concept id ${id} does not fit a byte`);
    return String.fromCharCode(id);
  }).join("");
}

/** The packed bytes of the committed file's PACKED_PATTERN_BYTES (null when there is none). */
export function committedPacked(text: string): Uint8Array | null {
  const m = text.match(/const PACKED_PATTERN_BYTES: usize = memory\.data<u8>\(\[([^\]]*)\]/);
  return m ? Uint8Array.from(m[1].split(",").map((x) => x.trim()).filter(Boolean).map(Number)) : null;
}

/** Raw DEFLATE of `bytes` by zopfli (@gfx/zopfli: it searches for the shortest DEFLATE stream, 9%
 *  smaller than zlib's level 9 here, and any inflater reads it). Packing takes about a second, so
 *  the committed packing is kept while it still inflates to these bytes: the generated file
 *  changes only when a source does. */
async function pack(bytes: Uint8Array): Promise<Uint8Array> {
  const committed = existsSync(GENERATED_PATH) ? committedPacked(readFileSync(GENERATED_PATH, "utf8")) : null;
  if (committed) {
    try { if (Buffer.from(inflateRawSync(committed)).equals(Buffer.from(bytes))) return committed; } catch { /* stale or not DEFLATE */ }
  }
  // Loaded only here: most builds keep the committed packing.
  const { deflateAsync } = await import("@gfx/zopfli");
  return deflateAsync(bytes, { numiterations: 15 });
}

/** A newline-separated list's lines as u8 constants named in capitals, for listLine. */
function lineIds(list: string): string {
  return list.split("\n").map((w, i) => `  export const ${w.toUpperCase()}: u8 = ${i};`).join("\n");
}

function rows(values: number[], perLine: number): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += perLine) out.push("  " + values.slice(i, i + perLine).join(", ") + ",");
  return out.join("\n");
}

export async function renderPatterns(): Promise<string> {
  const bytes: number[] = [];
  const ends: number[] = [];
  const consts: string[] = [];
  let id = 0;
  let patterns = -1;
  for (const [name, sources] of patternGroups()) {
    // The phrase lists come last: ids below PATTERN_SOURCES are patterns.
    if (/^(LIST|TABLE|MSG)_/.test(name)) { if (patterns < 0) patterns = id; } else if (patterns >= 0) throw new Error(`${name}: patterns must come before the LIST_, TABLE_ and MSG_ groups`);
    consts.push(`export const ${name}_FIRST: i32 = ${id};`, `export const ${name}_COUNT: i32 = ${sources.length};`);
    for (const s of sources) {
      for (const b of Buffer.from(s, name.startsWith("TABLE_") ? "latin1" : "utf8")) bytes.push(b);
      ends.push(bytes.length);
      id++;
    }
  }
  const packed = await pack(Uint8Array.from(bytes));
  // The ends as 16-bit words while the sources fit in 64 KB (half the bytes), else 32-bit.
  const [endType, endShift] = bytes.length < 0x10000 ? ["u16", 1] : ["u32", 2];
  return `// GENERATED by filters/prompt-guard/scripts/generate.ts from filters/prompt-guard/patterns/: do not edit.
// The fixed patterns' sources as UTF-8 (a string literal would be UTF-16: twice the bytes), DEFLATE-packed.
import { inflateInto } from "../../../common/assembly/bytes/inflate";
import { lineAt } from "../../../common/assembly/bytes/words";

${consts.join("\n")}
export const PATTERN_COUNT: i32 = ${id};
/** Ids below this are patterns; from it on, "|"-separated phrase lists, letter tables and messages. */
export const PATTERN_SOURCES: i32 = ${patterns < 0 ? id : patterns};

/** PATTERN_BYTES_LENGTH bytes, raw DEFLATE (scripts/generate.ts pack). */
const PACKED_PATTERN_BYTES: usize = memory.data<u8>([
${rows([...packed], 32)}
]);
const PACKED_LENGTH: i32 = ${packed.length};
const PATTERN_BYTES_LENGTH: i32 = ${bytes.length};
/** The unpacked bytes, once, at the first read (at start: normalize.ts reads its letter tables). */
let unpacked: usize = 0;
function patternBase(): usize {
  if (unpacked == 0) {
    unpacked = heap.alloc(<usize>PATTERN_BYTES_LENGTH);
    inflateInto(PACKED_PATTERN_BYTES, PACKED_LENGTH, unpacked, PATTERN_BYTES_LENGTH);
  }
  return unpacked;
}
/** Where each source ends in the unpacked bytes (the next starts there). */
const PATTERN_ENDS: usize = memory.data<${endType}>([
${rows(ends, 16)}
]);

/** Where the UTF-8 of entry \`id\` starts in the module's memory (0 for an id out of range). */
export function patternBytes(id: i32): usize {
  if (<u32>id >= <u32>PATTERN_COUNT) return 0;
  return patternBase() + <usize>(id == 0 ? 0 : load<${endType}>(PATTERN_ENDS + (<usize>(id - 1) << ${endShift})));
}

/** Length in bytes of entry \`id\` (0 for an id out of range). */
export function patternByteLength(id: i32): i32 {
  if (<u32>id >= <u32>PATTERN_COUNT) return 0;
  return <i32>(patternBase() + <usize>load<${endType}>(PATTERN_ENDS + (<usize>id << ${endShift})) - patternBytes(id));
}

/** Source of pattern \`id\` ("" for an id out of range). */
export function patternSource(id: i32): string {
  return String.UTF8.decodeUnsafe(patternBytes(id), <usize>patternByteLength(id));
}

/** Message \`id\` (a MSG_ group), decoded when a reply needs it. */
export function messageText(id: i32): string { return patternSource(id); }

/** Line \`line\` of newline-separated list \`first\` (a LIST_ group read by the ids below);
 *  inlined, so the caller's constant list id folds. */
@inline export function listLine(first: i32, line: u8): string { return lineAt(patternBytes(first), patternByteLength(first), line); }

/** Line numbers of LIST_CONFIG_WORDS (patterns/keys.ts CONFIG_WORDS). */
export namespace ConfigWord {
${lineIds(CONFIG_WORDS)}
}

/** Line numbers of LIST_REASONS (patterns/keys.ts REASONS). */
export namespace Reason {
${lineIds(REASONS)}
}
`;
}

/** Writes the generated file when its content changed (an unchanged file keeps its mtime, so
 *  `build.mjs --if-needed` does not rebuild). Returns whether it wrote. */
export async function writePatterns(): Promise<boolean> { return writeIfChanged(GENERATED_PATH, await renderPatterns()); }

if (process.argv[1] === fileURLToPath(import.meta.url)) await writePatterns();
