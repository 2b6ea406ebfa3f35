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
import { encodeWords } from "../bytes/words";

/** Keys whose values may be structural (index = id returned by structuralKeyId). */
const STRUCTURAL_KEYS = "role type object finish_reason stop_reason status tool_choice detail service_tier reasoning_effort effort truncation media_type encoding_format format";

/** The vocabulary: every value of STRUCTURAL_KEYS that the APIs define (bytes/words.ts). By
 *  line group: roles; content part / block / item types; tool_choice and schema words; object
 *  names; finish / stop reasons, statuses; Anthropic stream events; Responses API stream events. */
const VOCABULARY = `
system developer user assistant tool function model
text image_url input_text output_text input_image input_file input_audio file refusal tool_use tool_result
image document thinking redacted_thinking message function_call function_call_output reasoning summary_text
reasoning_text server_tool_use web_search_tool_result web_search_call file_search_call computer_call
computer_call_output custom_tool_call custom_tool_call_output mcp_call mcp_list_tools image_generation_call
code_interpreter_call local_shell_call item_reference search_result container_upload base64 url content
json_schema json_object audio input_value text_delta input_json_delta thinking_delta signature_delta
citations_delta char_location page_location content_block_location url_citation file_citation
auto none any required enabled disabled ephemeral string number integer boolean array object null low medium
high minimal default flex priority scale disabled float wav mp3 pcm16
chat.completion chat.completion.chunk text_completion list embedding response model error
stop length tool_calls content_filter end_turn max_tokens stop_sequence pause_turn completed in_progress
incomplete failed queued cancelled searching
message_start message_delta message_stop content_block_start content_block_delta content_block_stop ping
response.created response.in_progress response.completed response.failed response.incomplete response.queued
response.output_item.added response.output_item.done response.content_part.added response.content_part.done
response.output_text.delta response.output_text.done response.output_text.annotation.added
response.refusal.delta response.refusal.done response.function_call_arguments.delta
response.function_call_arguments.done response.reasoning_summary_part.added
response.reasoning_summary_part.done response.reasoning_summary_text.delta
response.reasoning_summary_text.done response.reasoning_text.delta response.reasoning_text.done
response.audio.delta response.audio.done response.audio.transcript.delta response.audio.transcript.done
`;

const KEYS: Array<Uint8Array> = encodeWords(STRUCTURAL_KEYS);
/** Longest vocabulary word (bytes): longer values are never structural. */
const MAX_WORD: i32 = 48;
/** WORDS[n]: the vocabulary words of n bytes (every role/type value is looked up: keep it short). */
const WORDS: Array<Array<Uint8Array>> = byLength(encodeWords(VOCABULARY));
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
