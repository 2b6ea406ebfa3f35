// Named, versioned prompt templates. A request {"template":"support","variables":{…}, …} becomes
// an OpenAI chat request whose `messages` are the chosen version's messages with {{variables}}
// filled in, followed by any `messages` the client sent; every other field is kept as sent.
// The version is chosen by weight, sticky per consumer: hash(consumer, template) picks the same
// version for a consumer until the weights change. Unknown templates, unknown or missing variables
// and non-string variable values are 400s (stable codes below).
import { messageText, MSG_HAS_NO_VARIABLE_FIRST, MSG_INVALID_TEMPLATE_VARIABLES_FIRST, MSG_MISSING_TEMPLATE_VARIABLE_FIRST, MSG_MUST_BE_A_STRING_FIRST, MSG_NEEDS_VARIABLE_FIRST, MSG_NO_TEMPLATE_FIRST, MSG_ON_THIS_GATEWAY_FIRST, MSG_TEMPLATE_VARIABLE_FIRST, MSG_UNKNOWN_TEMPLATE_VARIABLE_FIRST, MSG_VARIABLES_OBJECT_FIRST } from "./model/patterns";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { JsonTokenizer, Tok } from "../../common/assembly/json/tokenizer";
import { appendJsonString } from "../../common/assembly/json/escape";
import { jsonStringToString } from "../../common/assembly/json/string";
import { parseJson, JsonKind } from "../../common/assembly/json/value";
import { BodyScan } from "./body";
import { GuardConfig, Template, TemplateVersion } from "./config";

export class Expansion {
  /** 0 = expanded into `out`; else the HTTP status of a refusal (code, message). */
  status: i32 = 0;
  code: string = "";
  message: string = "";
  template: string = "";
  version: string = "";
  /** The variable values (user text: scored as user messages). */
  values: Array<string> = new Array<string>();
  fail(code: string, message: string): Expansion { this.status = 400; this.code = code; this.message = message; return this; }
}

/** FNV-1a 32 over a string's UTF-16 units (stable: same consumer, same bucket). */
export function stickyHash(s: string): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= <u32>s.charCodeAt(i); h *= 0x01000193; }
  return h;
}

/** The version of `t` for `consumer` (weighted, sticky). */
export function chooseVersion(t: Template, consumer: string): TemplateVersion {
  const x = <i32>(stickyHash(consumer + "\u0000" + t.name) % <u32>t.totalWeight);
  let acc = 0;
  for (let i = 0; i < t.versions.length; i++) {
    acc += t.versions[i].weight;
    if (x < acc) return t.versions[i];
  }
  return t.versions[t.versions.length - 1];
}

function fill(text: string, names: Array<string>, values: Array<string>): string {
  let out = "";
  let at = 0;
  let i = text.indexOf("{{");
  while (i >= 0) {
    const e = text.indexOf("}}", i + 2);
    if (e < 0) break;
    const name = text.substring(i + 2, e).trim();
    out += text.substring(at, i);
    const k = names.indexOf(name);
    out += k >= 0 ? values[k] : "";
    at = e + 2;
    i = text.indexOf("{{", at);
  }
  return out + text.substring(at);
}

/** Expands the template request `body` (scan.template present) into `out`. */
export function expandTemplate(body: Uint8Array, scan: BodyScan, cfg: GuardConfig, consumer: string, out: ByteBuilder): Expansion {
  const x = new Expansion();
  const name = jsonStringToString(body, scan.template.start, scan.template.end, scan.template.hasEscape);
  const t = cfg.template(name);
  if (t === null) return x.fail("unknown_template", messageText(MSG_NO_TEMPLATE_FIRST) + name + messageText(MSG_ON_THIS_GATEWAY_FIRST));
  const v = chooseVersion(t, consumer);
  x.template = t.name;
  x.version = v.version;
  // Variables: an object of strings.
  const names = new Array<string>();
  const values = new Array<string>();
  if (scan.variables.present) {
    const p = parseJson(body, scan.variables.start, scan.variables.end);
    if (p.value === null) return x.fail(messageText(MSG_INVALID_TEMPLATE_VARIABLES_FIRST), messageText(MSG_VARIABLES_OBJECT_FIRST));
    const o = p.value!;
    for (let i = 0; i < o.keys.length; i++) {
      const val = o.items[i];
      if (val.kind != JsonKind.STRING) return x.fail(messageText(MSG_INVALID_TEMPLATE_VARIABLES_FIRST), messageText(MSG_TEMPLATE_VARIABLE_FIRST) + o.keys[i] + messageText(MSG_MUST_BE_A_STRING_FIRST));
      if (!v.variables.includes(o.keys[i])) return x.fail(messageText(MSG_UNKNOWN_TEMPLATE_VARIABLE_FIRST), "Template `" + name + "` (" + v.version + messageText(MSG_HAS_NO_VARIABLE_FIRST) + o.keys[i] + "`.");
      names.push(o.keys[i]); values.push(val.str);
    }
  }
  for (let i = 0; i < v.variables.length; i++) {
    if (!names.includes(v.variables[i])) return x.fail(messageText(MSG_MISSING_TEMPLATE_VARIABLE_FIRST), "Template `" + name + "` (" + v.version + messageText(MSG_NEEDS_VARIABLE_FIRST) + v.variables[i] + "`.");
  }
  x.values = values;
  // Rebuild the root object: messages first, then every other member except template/variables.
  out.reset();
  out.appendString("{\"messages\":[");
  for (let i = 0; i < v.messages.length; i++) {
    if (i > 0) out.appendByte(0x2c);
    out.appendString("{\"role\":");
    appendJsonString(out, v.messages[i].role);
    out.appendString(",\"content\":");
    appendJsonString(out, fill(v.messages[i].content, names, values));
    out.appendByte(0x7d);
  }
  const tk = new JsonTokenizer(body, 0, body.length);
  let depth = 0;
  let keyStart = -1;
  let keyName = "";
  let clientMessages: i32 = -1; // start of the client's messages array contents
  let clientMessagesEnd: i32 = -1;
  const rest = new ByteBuilder(256);
  while (true) {
    const tok = tk.next();
    if (tok == Tok.END || tok == Tok.ERROR) break;
    if (tok == Tok.OBJ_START && depth == 0) { depth = 1; continue; }
    if (depth != 1) break;
    if (tok == Tok.OBJ_END) break;
    if (tok == Tok.KEY) { keyStart = tk.tokStart - 1; keyName = jsonStringToString(body, tk.tokStart, tk.tokEnd, tk.hasEscape); continue; }
    let valueEnd = tk.tokEnd;
    let valueStart = tk.tokStart;
    if (tok == Tok.STRING) { valueStart--; valueEnd++; }
    if (tok == Tok.OBJ_START || tok == Tok.ARR_START) {
      if (tk.skipContainer() == Tok.ERROR) break;
      valueEnd = tk.tokEnd;
    }
    if (keyName == "template" || keyName == "variables") continue;
    if (keyName == "messages" && tok == Tok.ARR_START) { clientMessages = valueStart + 1; clientMessagesEnd = valueEnd - 1; continue; }
    rest.appendByte(0x2c);
    rest.appendSlice(body, keyStart, valueEnd);
  }
  if (clientMessages >= 0) {
    let empty = true;
    for (let i = clientMessages; i < clientMessagesEnd; i++) {
      const c = body[i];
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) { empty = false; break; }
    }
    if (!empty) { out.appendByte(0x2c); out.appendSlice(body, clientMessages, clientMessagesEnd); }
  }
  out.appendByte(0x5d);
  out.appendBytes(rest.toBytes());
  out.appendByte(0x7d);
  return x;
}
