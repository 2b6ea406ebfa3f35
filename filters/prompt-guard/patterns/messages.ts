// The filter's longest fixed messages (its error replies). Build input, as the patterns:
// scripts/generate.ts writes them into assembly/model/patterns.ts as UTF-8, half the bytes of a
// string literal in the module.

export const MSG_SYSTEM_FORBIDDEN = "System and developer messages are set by the gateway on this route; send user messages only.";
export const MSG_SYSTEM_NOT_DEMOTED = "A top-level `system` or `instructions` cannot be demoted on this route; send it as a user message.";
export const MSG_UNSCANNED_MEDIA = "The request carries media the gateway's content policy cannot read (an image, audio, a PDF or Office file, or a file by URL or id); this route does not accept it.";
export const MSG_COMPRESSED_REQUEST = "Request bodies with a content-encoding are not accepted on this gateway; send it uncompressed.";
export const MSG_REQUEST_TRAILERS = "Requests with trailers are not accepted on this gateway; send the body without trailers.";
export const MSG_MODERATION_UNAVAILABLE = "The content moderation service is unavailable; try again later.";
export const MSG_INJECTION = "The request looks like a prompt injection or jailbreak attempt and was refused by the gateway.";
export const MSG_ANSWER_COMPRESSED = "The provider's answer came compressed and could not be checked by the gateway's content policy.";
export const MSG_ANSWER_STOPPED_BY_RULE = "The answer was stopped by the gateway's content policy (rule ";
export const MSG_REQUEST_REFUSED_BY_RULE = "The request was refused by the gateway's prompt policy (rule ";
// Configuration errors and log lines (fixed parts; the callers add the field's value).
export const MSG_ANSWER_WITHHELD = "[answer withheld by the gateway's content policy]";
export const MSG_UNIT_INTERVAL_OR_NULL = "a number in [0, 1] or null (off)";
export const MSG_ROLE_LIST_TAIL = "` (one of system, developer, user, assistant, tool)";
export const MSG_METRIC_NAME = "1 to 48 characters of [a-z0-9_] (it becomes a metric label)";
export const MSG_PATTERN_OR_PHRASES = "exactly one of `pattern` or `phrases`";
export const MSG_NEVER_NORMALIZED = "matches the normalised text, which never holds `";
export const MSG_TEMPLATE_NAME = "template names are 1 to 48 characters of [a-z0-9_]";
export const MSG_PLACEHOLDERS = "placeholders are {{name}} with name of [a-z0-9_]";
export const MSG_VERSION_WEIGHT = "at least one version with a weight above 0";
export const MSG_ABSOLUTE_PATH = "an absolute path starting with /";
export const MSG_TEMPLATE_ROLE = "one of system, developer, user, assistant";
export const MSG_NO_TEMPLATE = "There is no prompt template named `";
export const MSG_VARIABLES_OBJECT = "`variables` must be an object of strings.";
export const MSG_OVERSIZE_PASSED = " bytes passed unread (oversize: pass)";
export const MSG_BODY_TOO_LARGE = " bytes, the most this gateway inspects.";
export const MSG_MODERATION_FAILED_OPEN = " failed; local verdict only (failure: open)";
export const MSG_ANSWER_ENCODED_WITHHELD = "; withheld, it cannot be checked";
export const MSG_ROUTE_AT_MOST = "; this route accepts at most ";
export const MSG_ONE_OF_CLIENT_SYSTEM = "one of allow, forbid, demote";
export const MSG_ONE_OF_MEDIA_ACTIONS = "one of pass, log, flag, block";
export const MSG_ONE_OF_EFFECTS = "one of deny, allow";
export const MSG_ONE_OF_DIRECTIONS = "one of request, response, both";
export const MSG_ONE_OF_ACTIONS = "one of block, flag, log";
export const MSG_ONE_OF_FAILURES = "one of open, closed";
export const MSG_ONE_OF_OVERSIZE = "one of block, pass";
