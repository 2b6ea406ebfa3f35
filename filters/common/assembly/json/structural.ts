// Structural string values of the LLM APIs: the only strings pii-mask does not scan in a JSON body
// (llm/spans.ts, allStrings mode). A value is structural when its key is one of STRUCTURAL_KEYS and
// the value, exactly, is a word of the APIs' fixed vocabulary below (roles, block/item/event types,
// object names, finish and stop reasons, statuses, tool_choice modes). Anything else under those
// keys (`"type": "mail me at a@b.com"`, a custom dictionary term, an unknown type) is scanned, and
// so are ids and `model`: a key name alone never turns scanning off, wherever it is nested. Sources:
// OpenAI API reference (chat, completions, embeddings, Responses and its stream events), Anthropic
// Messages API reference (content blocks, stream events).
import { ByteBuilder } from "../bytes/builder";
import { decodeJsonString } from "./string";
import { JsonError } from "./tokenizer";
import { encodeWordsAt } from "../bytes/words";
import { STRUCTURAL_KEYS_UTF8, STRUCTURAL_KEYS_UTF8_LENGTH, VOCABULARY_UTF8, VOCABULARY_UTF8_LENGTH } from "../generated/words";

// The lists are data in filters/common/lists.ts: STRUCTURAL_KEYS (a key's index is the id
// structuralKeyId returns) and VOCABULARY, every value of those keys that the APIs define.
const KEYS: Array<Uint8Array> = encodeWordsAt(STRUCTURAL_KEYS_UTF8, STRUCTURAL_KEYS_UTF8_LENGTH);
/** Longest vocabulary word (bytes): longer values are never structural. */
const MAX_WORD: i32 = 48;
/** WORDS[n]: the vocabulary words of n bytes (every role/type value is looked up: keep it short). */
const WORDS: Array<Array<Uint8Array>> = byLength(encodeWordsAt(VOCABULARY_UTF8, VOCABULARY_UTF8_LENGTH));
function byLength(words: Array<Uint8Array>): Array<Array<Uint8Array>> {
  const t = new Array<Array<Uint8Array>>();
  for (let n = 0; n <= MAX_WORD; n++) t.push(new Array<Uint8Array>());
  for (let i = 0; i < words.length; i++) if (words[i].length <= MAX_WORD) t[words[i].length].push(words[i]);
  return t;
}

function find(table: Array<Uint8Array>, src: Uint8Array, s: i32, e: i32): i32 {
  const n = e - s;
  for (let k = 0; k < table.length; k++) {
    const w = unchecked(table[k]);
    if (w.length == n && unchecked(w[0]) == unchecked(src[s]) && memory.compare(src.dataStart + <usize>s, w.dataStart, <usize>n) == 0) return k;
  }
  return -1;
}

const scratch = new ByteBuilder(64);

/** Id of a structural key (raw key content src[s, e)), or -1. */
export function structuralKeyId(src: Uint8Array, s: i32, e: i32, esc: bool): i32 {
  const n = e - s;
  if (n < 4 || n > 96) return -1;
  if (!esc) return find(KEYS, src, s, e);
  scratch.reset();
  if (decodeJsonString(src, s, e, scratch) != JsonError.NONE || scratch.length < 4) return -1;
  return find(KEYS, scratch.raw(), 0, scratch.length);
}

/** Whether the string value src[s, e) (raw content) under a structural key is a vocabulary word. */
export function isStructuralValue(keyId: i32, src: Uint8Array, s: i32, e: i32, esc: bool): bool {
  if (keyId < 0) return false;
  const n = e - s;
  if (n < 2 || (!esc && n > MAX_WORD) || n > 6 * MAX_WORD) return false;
  if (!esc) return find(unchecked(WORDS[n]), src, s, e) >= 0;
  scratch.reset();
  if (decodeJsonString(src, s, e, scratch) != JsonError.NONE || scratch.length < 2 || scratch.length > MAX_WORD) return false;
  return find(unchecked(WORDS[scratch.length]), scratch.raw(), 0, scratch.length) >= 0;
}
