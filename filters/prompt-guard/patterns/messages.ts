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
