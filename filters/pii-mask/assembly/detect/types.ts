// Entity ids and the match record shared by every detector.

export const EMAIL: i32 = 0;
export const PHONE: i32 = 1;
export const CREDIT_CARD: i32 = 2;
export const IBAN: i32 = 3;
export const US_SSN: i32 = 4;
export const IPV4: i32 = 5;
export const IPV6: i32 = 6;
export const AWS_ACCESS_KEY: i32 = 7;
export const AWS_SECRET_KEY: i32 = 8;
export const GITHUB_TOKEN: i32 = 9;
export const GITLAB_TOKEN: i32 = 10;
export const SLACK_TOKEN: i32 = 11;
export const STRIPE_KEY: i32 = 12;
export const OPENAI_KEY: i32 = 13;
export const ANTHROPIC_KEY: i32 = 14;
export const GOOGLE_API_KEY: i32 = 15;
export const JWT: i32 = 16;
export const PRIVATE_KEY: i32 = 17;
export const GENERIC_SECRET: i32 = 18;
/** Number of built-in entity types (ids 0..BUILTIN_COUNT-1). */
export const BUILTIN_COUNT: i32 = 19;
/** Custom detectors (patterns, dictionaries) get ids from here upward, in config order. */
export const CUSTOM_BASE: i32 = 32;

const NAMES: StaticArray<string> = [
  "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IPV4", "IPV6", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
  "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY", "OPENAI_KEY", "ANTHROPIC_KEY", "GOOGLE_API_KEY",
  "JWT", "PRIVATE_KEY", "GENERIC_SECRET",
];

/** Name of a built-in entity id ("" if not built in). */
export function builtinName(id: i32): string {
  return id >= 0 && id < BUILTIN_COUNT ? NAMES[id] : "";
}

/** Built-in id for a name, or -1. */
export function builtinId(name: string): i32 {
  for (let i = 0; i < BUILTIN_COUNT; i++) if (NAMES[i] == name) return i;
  return -1;
}

/** One detected entity: byte offsets [start, end) into the scanned UTF-8 buffer. */
export class Match {
  constructor(public type: i32, public start: i32, public end: i32) {}
}

/**
 * Longest span any detector reports, in bytes. A streaming caller that scans carried tail + new chunk
 * can treat everything more than MAX_ENTITY_LENGTH + CONTEXT_BYTES before the end of the buffer as final
 * (see Detector.scanStream). PEM private keys are the longest entity: an RSA-8192 key is about 6.5 KB.
 */
export const MAX_ENTITY_LENGTH: i32 = 8192;
/** Bytes of left/right context a detector looks at outside its span (labels such as `aws_secret_access_key = `). */
export const CONTEXT_BYTES: i32 = 128;
