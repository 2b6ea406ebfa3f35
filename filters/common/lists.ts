// Fixed word lists filters/common matches JSON keys and values against, kept here as data:
// scripts/generate.ts writes them as UTF-8 bytes into assembly/generated/words.ts (a string literal
// in the module would be UTF-16, twice the bytes, in every filter's module), and the code reads
// them as NAME_UTF8 / NAME_UTF8_LENGTH (assembly/bytes/words.ts encodeWordsAt). Words are split at
// spaces and newlines; where the code indexes a list, the order is the code's (named below).

/** Keys whose values may be structural (assembly/json/structural.ts; index = id returned by structuralKeyId). */
export const STRUCTURAL_KEYS = "role type object finish_reason stop_reason status tool_choice detail service_tier reasoning_effort effort truncation media_type encoding_format format";

/** The vocabulary: every value of STRUCTURAL_KEYS that the APIs define (assembly/json/structural.ts).
 *  By line group: roles; content part / block / item types; tool_choice and schema words; object
 *  names; finish / stop reasons, statuses; Anthropic stream events; Responses API stream events. */
export const VOCABULARY = `
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

/** JSON keys assembly/llm/spans.ts tells apart, in its K_* order; index 0 ("-") is K_OTHER. */
export const KEY_NAMES = "- messages content text tool_calls function function_call arguments prompt input system choices message delta type role model stream partial_json content_block thinking instructions tools functions output refusal reasoning reasoning_content candidates parts";

/** Block types assembly/llm/spans.ts reads, in its TYPE_IDS order. */
export const TYPE_NAMES = "text text_delta input_text output_text tool_use tool_result input_json_delta thinking thinking_delta";

/** Roles, in assembly/llm/spans.ts ROLE_IDS order: `model` is Gemini's assistant, `ipython` Llama's tool. */
export const ROLE_NAMES = "system developer user assistant tool function model ipython";

/** Roles implied by an item's or block's `type` (OpenAI Responses items, Anthropic blocks), in
 *  assembly/llm/spans.ts TYPE_ROLE_IDS order. */
export const TYPE_ROLE_NAMES = "tool_result function_call_output web_search_tool_result mcp_tool_result computer_call_output custom_tool_call_output tool_use function_call server_tool_use custom_tool_call mcp_call computer_call";

/** JSON error messages, one per line, in assembly/json/tokenizer.ts JsonError order (line 0 is
 *  NONE); the last line is for a code out of range. Read with bytes/words.ts lineAt. */
export const JSON_ERRORS = [
  "ok", "unexpected end of input", "unexpected character", "unterminated string", "invalid escape sequence",
  "invalid \\u escape", "unescaped control character in string", "invalid UTF-8", "invalid number", "nesting too deep",
  "duplicate key", "trailing data after JSON value", "empty input", "expected ':' after object key", "unknown error",
].join("\n");

/** Pattern compiler messages, one per line, in assembly/pattern/parse.ts PatternError order. */
export const PATTERN_ERRORS = [
  "empty pattern", "unbalanced ')'", "unexpected character", "groups nested too deeply", "bad repetition bound",
  "repetition {m,n} with n < m", "nothing to repeat", "unsupported group syntax (only ( ) and (?: ))", "missing ')'",
  "trailing backslash", "backreferences are not supported", "missing ']'", "\\b inside a class", "non-ASCII character in a class",
  "bad class range", "class range out of order", "pattern matches the empty string",
  "pattern too large: more than 20000 automaton nodes (reduce {m,n} bounds)", "repetition bound over ", "unknown escape \\",
  "pattern too complex: automaton exceeds ", "pattern too complex: compiling it needs more than ", "pattern too complex: its automaton needs more than ",
].join("\n");
