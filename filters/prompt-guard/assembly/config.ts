// Configuration: JSON in, one immutable GuardConfig out, or the first error naming the field.
// Pure (no host calls). Empty configuration = defaults: every role scored, block at the model's
// cross-validated threshold, flag at 0.5, no rules, no limits, client system messages allowed.
// Rules' patterns are compiled here, so a bad pattern fails proxy_on_configure.
import { messageText, ConfigWord as W, listLine, LIST_CONFIG_WORDS_FIRST, MSG_ABSOLUTE_PATH_FIRST, MSG_AT_LEAST_ONE_MESSAGE_FIRST, MSG_AT_LEAST_ONE_PHRASE_FIRST, MSG_AT_LEAST_ONE_VERSION_FIRST, MSG_METRIC_NAME_FIRST, MSG_NEVER_NORMALIZED_FIRST, MSG_ONE_OF_ACTIONS_FIRST, MSG_ONE_OF_CLIENT_SYSTEM_FIRST, MSG_ONE_OF_DIRECTIONS_FIRST, MSG_ONE_OF_EFFECTS_FIRST, MSG_ONE_OF_FAILURES_FIRST, MSG_ONE_OF_MEDIA_ACTIONS_FIRST, MSG_ONE_OF_OVERSIZE_FIRST, MSG_PATTERN_OR_PHRASES_FIRST, MSG_PLACEHOLDERS_FIRST, MSG_ROLE_LIST_TAIL_FIRST, MSG_TEMPLATE_NAME_FIRST, MSG_TEMPLATE_ROLE_FIRST, MSG_UNIT_INTERVAL_OR_NULL_FIRST, MSG_VERSION_NAME_FIRST, MSG_VERSION_WEIGHT_FIRST, MSG_WRITE_IT_AS_FIRST } from "./model/patterns";
import { JsonKind, JsonValue } from "../../common/assembly/json/value";
import { ObjectReader, ArrayReader, openConfigRoot } from "../../common/assembly/json/reader";
import { compilePattern, Pattern, Dictionary } from "../../common/assembly/pattern";
import { DEFAULT_THRESHOLD } from "./model/weights";
import { ROLE_SYSTEM, ROLE_DEVELOPER, ROLE_USER, ROLE_ASSISTANT, ROLE_TOOL } from "./detector";
import { CodePoints, decodeUtf8, normalizeInto } from "./normalize";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { asciiLowerCase } from "../../common/assembly/http/header";

export const ACTION_NONE: i32 = 0;
export const ACTION_LOG: i32 = 1;
export const ACTION_FLAG: i32 = 2;
export const ACTION_BLOCK: i32 = 3;
const ACTION_NAMES: StaticArray<string> = ["none", "log", "flag", "block"];
export function actionName(a: i32): string { return a >= 0 && a < 4 ? ACTION_NAMES[a] : "none"; }

export const SYSTEM_ALLOW: i32 = 0;
export const SYSTEM_FORBID: i32 = 1;
export const SYSTEM_DEMOTE: i32 = 2;

/** Bit per role (detector.ts ROLE_*). */
export const ALL_ROLES: u32 = (1 << ROLE_SYSTEM) | (1 << ROLE_DEVELOPER) | (1 << ROLE_USER) | (1 << ROLE_ASSISTANT) | (1 << ROLE_TOOL);
const ROLE_NAMES: StaticArray<string> = ["", "system", "developer", "user", "assistant", "tool"];
export function roleName(r: i32): string { return r > 0 && r < 6 ? ROLE_NAMES[r] : "user"; }

export class Thresholds {
  /** Score at or above which the action applies; 2 = never. */
  block: f64 = DEFAULT_THRESHOLD;
  flag: f64 = 0.5;
  log: f64 = 2;
  actionFor(score: f64): i32 {
    if (score >= this.block) return ACTION_BLOCK;
    if (score >= this.flag) return ACTION_FLAG;
    if (score >= this.log) return ACTION_LOG;
    return ACTION_NONE;
  }
  /** Lowest active threshold (decoded payloads count from here). */
  lowest(): f64 { return min(this.block, min(this.flag, this.log)); }
  /** Where blocking starts, or the lowest action when the route never blocks; at most 1, so a route
   *  without any action ("never" is 2) never sees 2 as a score (prose hidden in an encoding counts
   *  here: Detector.blockAt). */
  blocking(): f64 { return min(this.block <= 1 ? this.block : this.lowest(), 1); }
}

export class Limits {
  /** 0 = no limit. */
  maxPromptChars: i64 = 0;
  maxMessages: i64 = 0;
  maxTokens: i64 = 0;
}

export class Route {
  name: string = "default";
  /** Match: xds route name, path prefix, host ("" = any). */
  route: string = "";
  prefix: string = "";
  host: string = "";
  thresholds: Thresholds = new Thresholds();
  roles: u32 = ALL_ROLES;
  limits: Limits = new Limits();
  clientSystem: i32 = SYSTEM_ALLOW;
  prepend: Array<string> = new Array<string>();
  append: Array<string> = new Array<string>();
  moderation: bool = true;
  answers: bool = true;
  /** Action for a request carrying media the guard does not read (ACTION_NONE = pass). */
  unscannedMedia: i32 = ACTION_NONE;

  copy(): Route {
    const r = new Route();
    r.thresholds.block = this.thresholds.block; r.thresholds.flag = this.thresholds.flag; r.thresholds.log = this.thresholds.log;
    r.roles = this.roles;
    r.limits.maxPromptChars = this.limits.maxPromptChars; r.limits.maxMessages = this.limits.maxMessages; r.limits.maxTokens = this.limits.maxTokens;
    r.clientSystem = this.clientSystem;
    r.prepend = this.prepend.slice(0); r.append = this.append.slice(0);
    r.moderation = this.moderation; r.answers = this.answers;
    r.unscannedMedia = this.unscannedMedia;
    return r;
  }
}

export class Rule {
  name: string = "";
  deny: bool = true;
  pattern: Pattern | null = null;
  phrases: Dictionary | null = null;
  roles: u32 = ALL_ROLES;
  /** Route names the rule applies on (empty = all). */
  routes: Array<string> = new Array<string>();
  request: bool = true;
  response: bool = false;
  action: i32 = ACTION_BLOCK;
}

export class TemplateMessage {
  constructor(public role: string, public content: string) {}
}

export class TemplateVersion {
  version: string = "";
  weight: i32 = 1;
  messages: Array<TemplateMessage> = new Array<TemplateMessage>();
  /** Variable names its messages use ({{name}}), distinct, in order of first use (a missing one is
   *  reported in that order). */
  variables: Array<string> = new Array<string>();
}

export class Template {
  name: string = "";
  versions: Array<TemplateVersion> = new Array<TemplateVersion>();
  totalWeight: i32 = 0;
}

export class Moderation {
  cluster: string = "";
  path: string = "/v1/moderations";
  authority: string = "";
  timeoutMs: i32 = 1000;
  failOpen: bool = true;
  model: string = "";
  headers: Array<string> = new Array<string>(); // name, value, name, value...
}

export class GuardConfig {
  defaults: Route = new Route();
  routes: Array<Route> = new Array<Route>();
  rules: Array<Rule> = new Array<Rule>();
  templates: Array<Template> = new Array<Template>();
  moderation: Moderation | null = null;
  maxBodyBytes: i32 = 1048576;
  /** Bodies larger than maxBodyBytes: refused (413) or passed unread. */
  oversizePass: bool = false;
  /** Hold request headers until the body is read, so flags become upstream headers (Envoy >= 1.35
   *  with allow_on_headers_stop_iteration). */
  flagHeaders: bool = true;
  consumerKey: string = "aigw.consumer";
  /** Whether any rule looks at answers. */
  answerRules: bool = false;

  template(name: string): Template | null {
    for (let i = 0; i < this.templates.length; i++) if (this.templates[i].name == name) return this.templates[i];
    return null;
  }
}

export class ConfigResult {
  constructor(public config: GuardConfig | null, public error: string) {}
}

// The known fields of each object, as ConfigWord ids.
const TOP_FIELDS: StaticArray<u8> = [W.THRESHOLDS, W.ROLES, W.LIMITS, W.CLIENT_SYSTEM, W.DECORATE, W.ROUTES, W.RULES, W.TEMPLATES, W.MODERATION,
  W.MAX_BODY_BYTES, W.OVERSIZE, W.FLAG_HEADERS, W.CONSUMER_KEY, W.ANSWERS, W.UNSCANNED_MEDIA];
const ROUTE_FIELDS: StaticArray<u8> = [W.NAME, W.MATCH, W.THRESHOLDS, W.ROLES, W.LIMITS, W.CLIENT_SYSTEM, W.DECORATE, W.MODERATION, W.ANSWERS, W.UNSCANNED_MEDIA];
const RULE_FIELDS: StaticArray<u8> = [W.NAME, W.EFFECT, W.PATTERN, W.PHRASES, W.ROLES, W.ROUTES, W.DIRECTION, W.ACTION];
const THRESHOLD_FIELDS: StaticArray<u8> = [W.BLOCK, W.FLAG, W.LOG];
const LIMIT_FIELDS: StaticArray<u8> = [W.MAX_PROMPT_CHARS, W.MAX_MESSAGES, W.MAX_TOKENS];
const DECORATE_FIELDS: StaticArray<u8> = [W.PREPEND, W.APPEND];
const TEMPLATE_FIELDS: StaticArray<u8> = [W.VERSIONS];
const VERSION_FIELDS: StaticArray<u8> = [W.VERSION, W.WEIGHT, W.MESSAGES];
const MESSAGE_FIELDS: StaticArray<u8> = [W.ROLE, W.CONTENT];
const MODERATION_FIELDS: StaticArray<u8> = [W.CLUSTER, W.PATH, W.AUTHORITY, W.TIMEOUT_MS, W.FAILURE, W.MODEL, W.HEADERS];
const MATCH_FIELDS: StaticArray<u8> = [W.ROUTE, W.PREFIX, W.HOST];

/** Configuration word `id` (ConfigWord, patterns/keys.ts CONFIG_WORDS). */
function word(id: u8): string { return listLine(LIST_CONFIG_WORDS_FIRST, id); }
function fields(ids: StaticArray<u8>): Array<string> {
  const out = new Array<string>(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = word(ids[i]);
  return out;
}

/** Label-safe names ([a-z0-9_], 1..48): they become metric label values. */
function validName(s: string): bool {
  if (s.length == 0 || s.length > 48) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x5f)) return false;
  }
  return true;
}

function readThreshold(r: ObjectReader, key: string, def: f64): f64 {
  const v = r.value.get(key);
  if (v === null) return def;
  if (v.kind == JsonKind.NULL) return 2; // explicitly off
  if (v.kind != JsonKind.NUMBER || !(v.num >= 0 && v.num <= 1)) { r.invalid(key, messageText(MSG_UNIT_INTERVAL_OR_NULL_FIRST)); return def; }
  return v.num;
}

function readThresholds(r: ObjectReader, t: Thresholds): void {
  const o = r.getObject(word(W.THRESHOLDS));
  if (o === null) return;
  o.rejectUnknown(fields(THRESHOLD_FIELDS));
  t.block = readThreshold(o, "block", t.block);
  t.flag = readThreshold(o, "flag", t.flag);
  t.log = readThreshold(o, "log", t.log);
}

function readRoles(r: ObjectReader, key: string, def: u32): u32 {
  const a = r.getArray(key);
  if (a === null) return def;
  let mask: u32 = 0;
  const names = a.strings();
  for (let i = 0; i < names.length; i++) {
    let found = false;
    for (let k = 1; k < 6; k++) if (ROLE_NAMES[k] == names[i]) { mask |= 1 << k; found = true; }
    if (!found) r.invalid(key, "unknown role `" + names[i] + messageText(MSG_ROLE_LIST_TAIL_FIRST));
  }
  return mask;
}

function readRoute(r: ObjectReader, route: Route, top: bool): void {
  readThresholds(r, route.thresholds);
  route.roles = readRoles(r, word(W.ROLES), route.roles);
  const l = r.getObject(word(W.LIMITS));
  if (l !== null) {
    l.rejectUnknown(fields(LIMIT_FIELDS));
    route.limits.maxPromptChars = l.getInteger(word(W.MAX_PROMPT_CHARS), route.limits.maxPromptChars, 0, 1 << 30);
    route.limits.maxMessages = l.getInteger(word(W.MAX_MESSAGES), route.limits.maxMessages, 0, 1 << 20);
    route.limits.maxTokens = l.getInteger("max_tokens", route.limits.maxTokens, 0, 1 << 30);
  }
  if (r.has(word(W.CLIENT_SYSTEM))) {
    const s = r.getString(word(W.CLIENT_SYSTEM), word(W.ALLOW));
    if (s == word(W.ALLOW)) route.clientSystem = SYSTEM_ALLOW;
    else if (s == word(W.FORBID)) route.clientSystem = SYSTEM_FORBID;
    else if (s == word(W.DEMOTE)) route.clientSystem = SYSTEM_DEMOTE;
    else r.invalid(word(W.CLIENT_SYSTEM), messageText(MSG_ONE_OF_CLIENT_SYSTEM_FIRST));
  }
  if (r.has("unscanned_media")) {
    const m = r.getString("unscanned_media", "pass");
    if (m == "pass") route.unscannedMedia = ACTION_NONE;
    else if (m == "log") route.unscannedMedia = ACTION_LOG;
    else if (m == "flag") route.unscannedMedia = ACTION_FLAG;
    else if (m == "block") route.unscannedMedia = ACTION_BLOCK;
    else r.invalid("unscanned_media", messageText(MSG_ONE_OF_MEDIA_ACTIONS_FIRST));
  }
  const d = r.getObject(word(W.DECORATE));
  if (d !== null) {
    d.rejectUnknown(fields(DECORATE_FIELDS));
    const p = d.getArray(word(W.PREPEND));
    if (p !== null) route.prepend = p.strings();
    const a = d.getArray(word(W.APPEND));
    if (a !== null) route.append = a.strings();
  }
  // Top level: `moderation` is the service (readModeration); a route switches it off or on.
  if (!top) route.moderation = r.getBool("moderation", route.moderation);
  route.answers = r.getBool(word(W.ANSWERS), route.answers);
}

function readRule(o: ObjectReader, i: i32, cfg: GuardConfig): Rule {
  const rule = new Rule();
  o.rejectUnknown(fields(RULE_FIELDS));
  rule.name = o.requireString("name");
  if (o.has("name") && !validName(rule.name)) o.invalid("name", messageText(MSG_METRIC_NAME_FIRST));
  const effect = o.getString(word(W.EFFECT), word(W.DENY));
  if (effect == word(W.DENY)) rule.deny = true;
  else if (effect == word(W.ALLOW)) rule.deny = false;
  else o.invalid(word(W.EFFECT), messageText(MSG_ONE_OF_EFFECTS_FIRST));
  const hasPattern = o.has(word(W.PATTERN)), hasPhrases = o.has(word(W.PHRASES));
  if (hasPattern == hasPhrases) o.invalid(word(W.PATTERN), messageText(MSG_PATTERN_OR_PHRASES_FIRST));
  if (hasPattern) {
    const src = o.getString(word(W.PATTERN), "");
    // A pattern runs on the normalised text, where a letter the normaliser folds never appears: a
    // pattern spelling one ("café", "Ｆ") would never match. Refused, naming the form to write.
    const folded = unnormalisedLetter(src);
    if (folded.length) o.invalid(word(W.PATTERN), messageText(MSG_NEVER_NORMALIZED_FIRST) + folded + messageText(MSG_WRITE_IT_AS_FIRST) + normalizedPhrase(folded) + "`");
    const c = compilePattern(src);
    if (c.pattern === null) o.invalid(word(W.PATTERN), c.error);
    rule.pattern = c.pattern;
  }
  if (hasPhrases) {
    const a = o.getArray(word(W.PHRASES));
    if (a !== null) {
      const d = new Dictionary();
      const words = a.strings();
      if (words.length == 0) o.invalid(word(W.PHRASES), messageText(MSG_AT_LEAST_ONE_PHRASE_FIRST));
      for (let k = 0; k < words.length; k++) {
        // Phrases match the normalised text, so they are normalised the same way (lowercase, one
        // space between words, accents and compatibility forms folded: "Café" is "cafe" there).
        if (!d.add(normalizedPhrase(words[k]))) { o.invalid(word(W.PHRASES), d.error); break; }
      }
      rule.phrases = d;
    }
  }
  rule.roles = readRoles(o, word(W.ROLES), ALL_ROLES);
  const routes = o.getArray(word(W.ROUTES));
  if (routes !== null) rule.routes = routes.strings();
  const dir = o.getString(word(W.DIRECTION), word(W.REQUEST));
  if (dir == word(W.REQUEST)) { rule.request = true; rule.response = false; }
  else if (dir == "response") { rule.request = false; rule.response = true; }
  else if (dir == word(W.BOTH)) { rule.request = true; rule.response = true; }
  else o.invalid(word(W.DIRECTION), messageText(MSG_ONE_OF_DIRECTIONS_FIRST));
  const act = o.getString(word(W.ACTION), "block");
  if (act == "block") rule.action = ACTION_BLOCK;
  else if (act == "flag") rule.action = ACTION_FLAG;
  else if (act == "log") rule.action = ACTION_LOG;
  else o.invalid(word(W.ACTION), messageText(MSG_ONE_OF_ACTIONS_FIRST));
  if (rule.response) cfg.answerRules = true;
  return rule;
}

/** {{name}} placeholders of a template text, appended to `out` when new. Returns false on a bad one. */
export function collectVariables(text: string, out: Array<string>): bool {
  let i = text.indexOf("{{");
  while (i >= 0) {
    const e = text.indexOf("}}", i + 2);
    if (e < 0) return false;
    const name = text.substring(i + 2, e).trim();
    if (!validName(name)) return false;
    if (!out.includes(name)) out.push(name);
    i = text.indexOf("{{", e + 2);
  }
  return true;
}

function readTemplates(r: ObjectReader, cfg: GuardConfig): void {
  const t = r.getObject(word(W.TEMPLATES));
  if (t === null) return;
  const keys = t.value.keys;
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i];
    const tr = t.getObject(name);
    if (tr === null) continue;
    if (!validName(name)) { t.invalid(name, messageText(MSG_TEMPLATE_NAME_FIRST)); continue; }
    tr.rejectUnknown(fields(TEMPLATE_FIELDS));
    const tpl = new Template();
    tpl.name = name;
    const vs = tr.requireArray(word(W.VERSIONS));
    if (vs === null) continue;
    if (vs.length == 0) tr.invalid(word(W.VERSIONS), messageText(MSG_AT_LEAST_ONE_VERSION_FIRST));
    for (let k = 0; k < vs.length; k++) {
      const vo = vs.objectAt(k);
      if (vo === null) continue;
      vo.rejectUnknown(fields(VERSION_FIELDS));
      const v = new TemplateVersion();
      v.version = vo.requireString(word(W.VERSION));
      if (vo.has(word(W.VERSION)) && !validName(v.version)) vo.invalid(word(W.VERSION), messageText(MSG_VERSION_NAME_FIRST));
      v.weight = <i32>vo.getInteger(word(W.WEIGHT), 1, 0, 1000000);
      const ms = vo.requireArray("messages");
      if (ms !== null) {
        if (ms.length == 0) vo.invalid("messages", messageText(MSG_AT_LEAST_ONE_MESSAGE_FIRST));
        for (let m = 0; m < ms.length; m++) {
          const mo = ms.objectAt(m);
          if (mo === null) continue;
          mo.rejectUnknown(fields(MESSAGE_FIELDS));
          const role = mo.getString("role", "user");
          if (role != "system" && role != "developer" && role != "user" && role != "assistant") mo.invalid("role", messageText(MSG_TEMPLATE_ROLE_FIRST));
          const content = mo.requireString("content");
          if (!collectVariables(content, v.variables)) mo.invalid("content", messageText(MSG_PLACEHOLDERS_FIRST));
          v.messages.push(new TemplateMessage(role, content));
        }
      }
      tpl.totalWeight += v.weight;
      tpl.versions.push(v);
    }
    if (vs.length > 0 && tpl.totalWeight == 0) tr.invalid(word(W.VERSIONS), messageText(MSG_VERSION_WEIGHT_FIRST));
    cfg.templates.push(tpl);
  }
}

function readModeration(r: ObjectReader, cfg: GuardConfig): void {
  const o = r.getObject("moderation");
  if (o === null) return;
  o.rejectUnknown(fields(MODERATION_FIELDS));
  const m = new Moderation();
  m.cluster = o.requireString(word(W.CLUSTER));
  m.path = o.getString(word(W.PATH), m.path);
  if (!m.path.startsWith("/")) o.invalid(word(W.PATH), messageText(MSG_ABSOLUTE_PATH_FIRST));
  m.authority = o.getString(word(W.AUTHORITY), m.cluster);
  m.timeoutMs = <i32>o.getInteger(word(W.TIMEOUT_MS), 1000, 1, 60000);
  const f = o.getString(word(W.FAILURE), word(W.OPEN));
  if (f == word(W.OPEN)) m.failOpen = true; else if (f == word(W.CLOSED)) m.failOpen = false; else o.invalid(word(W.FAILURE), messageText(MSG_ONE_OF_FAILURES_FIRST));
  m.model = o.getString("model", "");
  const h = o.getObject(word(W.HEADERS));
  if (h !== null) {
    for (let i = 0; i < h.value.keys.length; i++) {
      const k = h.value.keys[i];
      const v = h.getString(k, "");
      m.headers.push(asciiLowerCase(k)); m.headers.push(v);
    }
  }
  cfg.moderation = m;
}

export function parseConfig(bytes: Uint8Array): ConfigResult {
  const cfg = new GuardConfig();
  const r = openConfigRoot(bytes);
  const errors = r.errors;
  if (!errors.ok) return new ConfigResult(null, errors.first());
  r.rejectUnknown(fields(TOP_FIELDS));
  readRoute(r, cfg.defaults, true);
  cfg.maxBodyBytes = <i32>r.getInteger(word(W.MAX_BODY_BYTES), cfg.maxBodyBytes, 1024, 1 << 28);
  const ov = r.getString("oversize", "block");
  if (ov == "block") cfg.oversizePass = false; else if (ov == "pass") cfg.oversizePass = true; else r.invalid("oversize", messageText(MSG_ONE_OF_OVERSIZE_FIRST));
  cfg.flagHeaders = r.getBool(word(W.FLAG_HEADERS), true);
  cfg.consumerKey = r.getString(word(W.CONSUMER_KEY), cfg.consumerKey);
  const rules = r.getArray("rules");
  if (rules !== null) {
    for (let i = 0; i < rules.length; i++) {
      const o = rules.objectAt(i);
      if (o !== null) cfg.rules.push(readRule(o, i, cfg));
    }
  }
  const routes = r.getArray(word(W.ROUTES));
  if (routes !== null) {
    for (let i = 0; i < routes.length; i++) {
      const o = routes.objectAt(i);
      if (o === null) continue;
      o.rejectUnknown(fields(ROUTE_FIELDS));
      const route = cfg.defaults.copy();
      route.name = o.requireString("name");
      if (o.has("name") && !validName(route.name)) o.invalid("name", messageText(MSG_METRIC_NAME_FIRST));
      const m = o.getObject(word(W.MATCH));
      if (m !== null) {
        m.rejectUnknown(fields(MATCH_FIELDS));
        route.route = m.getString(word(W.ROUTE), "");
        route.prefix = m.getString(word(W.PREFIX), "");
        route.host = asciiLowerCase(m.getString(word(W.HOST), ""));
      }
      readRoute(o, route, false);
      cfg.routes.push(route);
    }
  }
  readTemplates(r, cfg);
  readModeration(r, cfg);
  if (!errors.ok) return new ConfigResult(null, errors.first());
  return new ConfigResult(cfg, "");
}

export { ArrayReader, JsonValue };

/** A configured phrase as the detector's normaliser writes text (UTF-8 of normalizeInto). */
function normalizedPhrase(phrase: string): string {
  const src = Uint8Array.wrap(String.UTF8.encode(phrase));
  const raw = new CodePoints();
  const norm = new CodePoints();
  decodeUtf8(src, 0, src.length, raw);
  normalizeInto(raw, norm, null);
  const u = new ByteBuilder(src.length + 8);
  for (let i = 0; i < norm.length; i++) u.appendCodePoint(norm.at(i));
  return String.UTF8.decodeUnsafe(u.dataStart, u.length);
}

/** The first non-ASCII character of `src` the normaliser changes ("" if none). */
function unnormalisedLetter(src: string): string {
  for (let i = 0; i < src.length; i++) {
    const c = src.codePointAt(i);
    if (c > 0xffff) i++;
    if (c < 0x80) continue;
    const ch = String.fromCodePoint(c);
    const n = normalizedPhrase(ch);
    if (n != ch && n.length > 0) return ch;
  }
  return "";
}
