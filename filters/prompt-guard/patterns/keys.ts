// JSON keys assembly/body.ts tells apart in a request body (space-separated words; written into
// the module as UTF-8 by scripts/generate.ts).

/** Keys whose values never carry prose: ids, model names, formats, statuses. Not scored. */
export const SKIP_KEYS = "model id tool_call_id tool_use_id call_id object media_type mime_type detail format encoding_format service_tier reasoning_effort voice finish_reason status user stop signature cache_control previous_response_id truncation tool_choice parallel_tool_calls modalities audio metadata store seed";

/** Keys body.ts handles itself, in the order of its ids in buildKeys (K_DATA ×4, K_MESSAGES,
 *  K_SYSTEM, K_INSTRUCTIONS, K_TEMPLATE, K_VARIABLES, K_NAME, K_REF ×2, K_FILE_ID ×3). */
export const NAMED_KEYS = "data image_url file_data bytes messages system instructions template variables name url file_url file_id file_uri fileUri";

/** Field names and values of the filter's configuration that only assembly/config.ts spells (as
 *  string literals they would be UTF-16 with a header each): one per line, read with lineAt by the
 *  ids of the generated `ConfigWord` namespace (the word in capitals), in this order. */
export const CONFIG_WORDS = [
  "thresholds", "roles", "limits", "client_system", "decorate", "routes", "templates", "max_body_bytes", "flag_headers",
  "consumer_key", "answers", "match", "effect", "pattern", "phrases", "direction", "action", "max_prompt_chars",
  "max_messages", "prepend", "append", "versions", "version", "weight", "cluster", "path", "authority", "timeout_ms",
  "failure", "headers", "route", "prefix", "host", "allow", "forbid", "demote", "deny", "request", "both", "open", "closed",
  // Spelled elsewhere too, here for the lists of known fields (config.ts rejectUnknown).
  "name", "moderation", "rules", "oversize", "unscanned_media", "block", "flag", "log", "max_tokens", "messages", "role",
  "content", "model",
].join("\n");

/** The detector's reasons (detector.ts Verdict): one per line, read with lineAt by the ids of the
 *  generated `Reason` namespace (the name in capitals). As string literals each would be UTF-16
 *  with a header of its own. */
export const REASONS = [
  "none", "model", "mode_switch", "task_switch", "prompt_extraction", "addressed_to_ai", "override_phrase", "role_override",
  "encoded_payload", "tool_instructions", "script_mixing", "hidden_characters", "leetspeak", "payload_split", "hidden_tags",
  // … and the decision's other sources (engine.ts Decision.detector).
  "unscanned_media", "moderation",
].join("\n");
