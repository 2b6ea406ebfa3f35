// Configuration: JSON in, one immutable PiiConfig out (or the first error, naming the field).
// Pure: no host calls, so it is unit-tested with as-pect. An empty configuration means defaults:
// every built-in detector on with `redact`, requests and responses scanned.
import { JsonKind, JsonValue } from "../../common/assembly/json/value";
import { ObjectReader, FieldError, FieldErrorCode, openConfigRoot } from "../../common/assembly/json/reader";
import { BUILTIN_COUNT, CUSTOM_BASE, builtinId, builtinName } from "./detect/types";

// Actions (what replaces a detected value).
export const A_REDACT: i32 = 0;
export const A_MASK: i32 = 1;
export const A_HASH: i32 = 2;
export const A_BLOCK: i32 = 3;
export const A_TOKENIZE: i32 = 4;

const ACTION_NAMES: StaticArray<string> = ["redact", "mask", "hash", "block", "tokenize"];

export function actionName(a: i32): string { return a >= 0 && a < 5 ? ACTION_NAMES[a] : ""; }
export function actionId(s: string): i32 {
  for (let i = 0; i < 5; i++) if (ACTION_NAMES[i] == s) return i;
  return -1;
}

/** What to do with compressed (content-encoding) answers, which are never scanned as text. */
export const COMPRESSED_IDENTITY: i32 = 0; // ask the upstream for identity (drop accept-encoding)
export const COMPRESSED_PASS: i32 = 1; // pass them unscanned, with a log line and a metric

/** What to do with request bodies that cannot be scanned (content-encoding other than identity, binary). */
export const UNSCANNABLE_REFUSE: i32 = 0; // 415 in OpenAI's error shape (default)
export const UNSCANNABLE_PASS: i32 = 1; // pass unscanned (filter state, log line and metric say so)

/** One detector's switch and action. */
export class DetectorRule {
  enabled: bool = true;
  action: i32 = A_REDACT;
  /** mask: characters kept at the end, and the character written instead of the others. */
  keepLast: i32 = 4;
  maskChar: string = "*";
  /** UTF-8 of `name`, `[name]` and `maskChar`, filled by finish() (the hot path writes bytes). */
  nameBytes: Uint8Array = new Uint8Array(0);
  redacted: Uint8Array = new Uint8Array(0);
  maskBytes: Uint8Array = new Uint8Array(0);
  constructor(public id: i32, public name: string) {}

  finish(): void {
    this.nameBytes = Uint8Array.wrap(String.UTF8.encode(this.name));
    this.redacted = Uint8Array.wrap(String.UTF8.encode("[" + this.name + "]"));
    this.maskBytes = Uint8Array.wrap(String.UTF8.encode(this.maskChar));
  }
}

/** A custom regular-expression detector, compiled by the pattern engine at configure time. */
export class CustomPattern {
  constructor(public name: string, public pattern: string) {}
}

/** A custom word-list detector (ASCII case-insensitive, whole words: see docs/detectors.md). */
export class Dictionary {
  constructor(public name: string, public terms: Array<string>) {}
}

export class PiiConfig {
  /** Rules by entity id: built-ins at [0, BUILTIN_COUNT), customs at CUSTOM_BASE + index. */
  rules: Array<DetectorRule> = new Array<DetectorRule>();
  patterns: Array<CustomPattern> = new Array<CustomPattern>();
  dictionaries: Array<Dictionary> = new Array<Dictionary>();
  /** Key for hash and tokenize digests (UTF-8 bytes of `secret`). */
  secret: Uint8Array = new Uint8Array(0);
  /** Filter-state key whose value scopes hash/tokenize tokens ("" = one global scope). */
  scopeKey: string = "aigw.consumer.tenant";
  /** Hex digits in hash/tokenize tokens. */
  tokenLength: i32 = 16;
  scanRequest: bool = true;
  scanResponse: bool = true;
  /** Largest body buffered whole (JSON); larger requests get 413. */
  maxBodyBytes: i32 = 1048576;
  compressed: i32 = COMPRESSED_IDENTITY;
  unscannable: i32 = UNSCANNABLE_REFUSE;
  /** Whether any enabled rule uses tokenize (responses then restore placeholders). */
  anyTokenize: bool = false;

  /** Rule for an entity id, or null. */
  rule(id: i32): DetectorRule | null {
    if (id < 0) return null;
    if (id < BUILTIN_COUNT) return this.rules[id];
    const k = id - CUSTOM_BASE + BUILTIN_COUNT;
    if (id >= CUSTOM_BASE && k < this.rules.length) return this.rules[k];
    return null;
  }

  /** Entity name (EMAIL, or a custom detector's name) for an id. */
  entityName(id: i32): string {
    const r = this.rule(id);
    return r === null ? "UNKNOWN" : r.name;
  }
}

export class ConfigResult {
  constructor(public config: PiiConfig | null, public error: string) {}
}

const TOP_FIELDS: Array<string> = [
  "detectors", "default_action", "mask", "custom_patterns", "dictionaries", "secret", "scope_key", "token_length",
  "request", "response", "max_body_bytes", "compressed_responses", "unscannable_requests",
];
const RULE_FIELDS: Array<string> = ["enabled", "action", "keep_last", "mask_char"];
const PATTERN_FIELDS: Array<string> = ["name", "pattern", "action", "enabled", "keep_last", "mask_char"];
const DICT_FIELDS: Array<string> = ["name", "terms", "action", "enabled", "keep_last", "mask_char"];

/** Custom names become metric label values and placeholder names: keep them to [A-Z0-9_]. */
function validName(s: string): bool {
  if (s.length == 0 || s.length > 48) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f)) return false;
  }
  return true;
}

function readAction(r: ObjectReader, key: string, def: i32): i32 {
  if (!r.has(key)) return def;
  const s = r.getString(key, "");
  if (!r.ok) return def;
  const a = actionId(s);
  if (a < 0) r.invalid(key, "unknown action `" + s + "` (one of redact, mask, hash, block, tokenize)");
  return a < 0 ? def : a;
}

/** keep_last / mask_char shared by a rule object and the `mask` defaults. */
function readMaskFields(r: ObjectReader, rule: DetectorRule, defKeep: i32, defChar: string): void {
  rule.keepLast = <i32>r.getInteger("keep_last", defKeep, 0, 64);
  rule.maskChar = r.getString("mask_char", defChar);
  if (r.has("mask_char") && rule.maskChar.length != 1 && !(rule.maskChar.length == 2 && rule.maskChar.charCodeAt(0) >= 0xd800)) {
    r.invalid("mask_char", "must be exactly one character");
  }
}

/** Parses the plugin configuration bytes (empty = defaults). */
export function parseConfig(bytes: Uint8Array): ConfigResult {
  const cfg = new PiiConfig();
  // Envoy hands an empty buffer when the configuration is absent: blank reads as {}.
  const r = openConfigRoot(bytes);
  const errors = r.errors;
  if (!errors.ok) return new ConfigResult(null, errors.first());
  r.rejectUnknown(TOP_FIELDS);

  const defAction = readAction(r, "default_action", A_REDACT);
  let defKeep: i32 = 4;
  let defChar = "*";
  const mask = r.getObject("mask");
  if (mask !== null) {
    mask.rejectUnknown(["keep_last", "mask_char"]);
    const tmp = new DetectorRule(-1, "");
    readMaskFields(mask, tmp, 4, "*");
    defKeep = tmp.keepLast;
    defChar = tmp.maskChar;
  }

  for (let i = 0; i < BUILTIN_COUNT; i++) {
    const rule = new DetectorRule(i, builtinName(i));
    rule.action = defAction;
    rule.keepLast = defKeep;
    rule.maskChar = defChar;
    cfg.rules.push(rule);
  }

  const dets = r.getObject("detectors");
  if (dets !== null) {
    const keys = dets.value.keys;
    for (let i = 0; i < keys.length; i++) {
      const name = keys[i];
      const id = builtinId(name);
      const path = "detectors." + name;
      if (id < 0) {
        errors.add(new FieldError(path, FieldErrorCode.INVALID, "unknown detector (built-ins: " + builtinList() + "; add your own under custom_patterns or dictionaries)", ""));
        continue;
      }
      const v = dets.value.items[i];
      const rule = cfg.rules[id];
      if (v.kind == JsonKind.BOOL) rule.enabled = v.bool;
      else if (v.kind == JsonKind.STRING) {
        const a = actionId(v.str);
        if (a < 0) errors.add(new FieldError(path, FieldErrorCode.INVALID, "unknown action `" + v.str + "` (one of redact, mask, hash, block, tokenize)", ""));
        else rule.action = a;
      } else if (v.kind == JsonKind.OBJECT) {
        const o = new ObjectReader(v, path, errors);
        o.rejectUnknown(RULE_FIELDS);
        rule.enabled = o.getBool("enabled", true);
        rule.action = readAction(o, "action", defAction);
        readMaskFields(o, rule, defKeep, defChar);
      } else {
        errors.add(new FieldError(path, FieldErrorCode.WRONG_TYPE, "boolean, action name or object", v.kind == JsonKind.NUMBER ? v.raw : kindOf(v)));
      }
    }
  }

  const names = new Set<string>();
  const pats = r.getArray("custom_patterns");
  if (pats !== null) {
    for (let i = 0; i < pats.length; i++) {
      const o = pats.objectAt(i);
      if (o === null) continue;
      o.rejectUnknown(PATTERN_FIELDS);
      const name = o.requireString("name");
      const pattern = o.requireString("pattern");
      if (!o.ok) continue;
      if (!checkCustomName(o, name, names)) continue;
      if (pattern.length == 0) { o.invalid("pattern", "must not be empty"); continue; }
      const rule = new DetectorRule(CUSTOM_BASE + cfg.patterns.length + cfg.dictionaries.length, name);
      cfg.patterns.push(new CustomPattern(name, pattern));
      rule.enabled = o.getBool("enabled", true);
      rule.action = readAction(o, "action", defAction);
      readMaskFields(o, rule, defKeep, defChar);
      cfg.rules.push(rule);
    }
  }
  const dicts = r.getArray("dictionaries");
  if (dicts !== null) {
    for (let i = 0; i < dicts.length; i++) {
      const o = dicts.objectAt(i);
      if (o === null) continue;
      o.rejectUnknown(DICT_FIELDS);
      const name = o.requireString("name");
      const arr = o.requireArray("terms");
      if (!o.ok || arr === null) continue;
      if (!checkCustomName(o, name, names)) continue;
      const terms = arr!.strings();
      if (terms.length == 0) { o.invalid("terms", "must hold at least one term"); continue; }
      let bad = false;
      for (let k = 0; k < terms.length; k++) if (terms[k].length == 0) bad = true;
      if (bad) { o.invalid("terms", "terms must not be empty strings"); continue; }
      const rule = new DetectorRule(CUSTOM_BASE + cfg.patterns.length + cfg.dictionaries.length, name);
      cfg.dictionaries.push(new Dictionary(name, terms));
      rule.enabled = o.getBool("enabled", true);
      rule.action = readAction(o, "action", defAction);
      readMaskFields(o, rule, defKeep, defChar);
      cfg.rules.push(rule);
    }
  }

  const secret = r.getSecret("secret", "");
  cfg.secret = Uint8Array.wrap(String.UTF8.encode(secret));
  cfg.scopeKey = r.getString("scope_key", "aigw.consumer.tenant");
  cfg.tokenLength = <i32>r.getInteger("token_length", 16, 8, 64);
  cfg.scanRequest = r.getBool("request", true);
  cfg.scanResponse = r.getBool("response", true);
  cfg.maxBodyBytes = <i32>r.getInteger("max_body_bytes", 1048576, 1024, 268435456);
  const comp = r.getString("compressed_responses", "identity");
  if (comp == "identity") cfg.compressed = COMPRESSED_IDENTITY;
  else if (comp == "pass") cfg.compressed = COMPRESSED_PASS;
  else r.invalid("compressed_responses", "must be `identity` or `pass`");
  const uns = r.getString("unscannable_requests", "refuse");
  if (uns == "refuse") cfg.unscannable = UNSCANNABLE_REFUSE;
  else if (uns == "pass") cfg.unscannable = UNSCANNABLE_PASS;
  else r.invalid("unscannable_requests", "must be `refuse` or `pass`");

  let needsSecret = false;
  for (let i = 0; i < cfg.rules.length; i++) {
    const rule = cfg.rules[i];
    rule.finish();
    if (!rule.enabled) continue;
    if (rule.action == A_HASH || rule.action == A_TOKENIZE) needsSecret = true;
    if (rule.action == A_TOKENIZE) cfg.anyTokenize = true;
  }
  // A public or guessable key would let anyone who sees a token test candidate values offline.
  if (needsSecret && cfg.secret.length < 16) {
    errors.add(new FieldError("secret", FieldErrorCode.INVALID, "required (at least 16 bytes) when a detector uses hash or tokenize", ""));
  }

  if (!errors.ok) return new ConfigResult(null, errors.first());
  return new ConfigResult(cfg, "");
}

function kindOf(v: JsonValue): string {
  if (v.kind == JsonKind.NULL) return "null";
  if (v.kind == JsonKind.ARRAY) return "array";
  return "object";
}

function checkCustomName(o: ObjectReader, name: string, names: Set<string>): bool {
  if (!validName(name)) { o.invalid("name", "must be 1-48 characters of A-Z, 0-9 and _"); return false; }
  if (builtinId(name) >= 0 || names.has(name)) { o.invalid("name", "`" + name + "` is already a detector name"); return false; }
  names.add(name);
  return true;
}

function builtinList(): string {
  let s = "";
  for (let i = 0; i < BUILTIN_COUNT; i++) {
    if (i > 0) s += ", ";
    s += builtinName(i);
  }
  return s;
}
