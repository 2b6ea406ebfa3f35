// Checks an Envoy YAML config against Envoy's API schema, the way Envoy reads it: YAML is turned
// into a JSON value (yaml-cpp scalars: unquoted yes/no/on/off are booleans) and then parsed as the
// proto3 JSON mapping of the root message, rejecting unknown fields. Checked: field names (snake_case
// or lowerCamelCase), scalar/message/repeated/map shapes, enum names, oneof exclusivity, well-known
// types (Any, Duration, Timestamp, Struct/Value, wrappers, FieldMask, Empty) and the message named by
// every `@type` (and by TypedStruct `type_url`). Not checked: protoc-gen-validate rules
// (required fields, min/max), which Envoy enforces later, and whether an extension is compiled in.
import protobuf from "protobufjs";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { loadEnvoySchema } from "./load.ts";
import { exactType } from "./names.ts";

export interface SchemaError {
  /** Where in the document, e.g. static_resources.listeners[0].address.socket_address.port_value */
  path: string;
  /** 1-based line of the offending key or value, 0 when unknown. */
  line: number;
  message: string;
}

export interface ValidationResult {
  errors: SchemaError[];
}

export const BOOTSTRAP = "envoy.config.bootstrap.v3.Bootstrap";

/** A YAML value reduced to what the JSON mapping sees, with its source line. */
type JVal =
  | { kind: "null"; line: number }
  | { kind: "bool"; value: boolean; line: number }
  | { kind: "number"; value: number; text: string; line: number }
  | { kind: "string"; value: string; line: number }
  | { kind: "array"; items: JVal[]; line: number }
  | { kind: "object"; entries: Array<{ key: string; keyLine: number; value: JVal }>; line: number };

const MAX_DEPTH = 200;

function describe(v: JVal): string {
  switch (v.kind) {
    case "null":
      return "null";
    case "bool":
      return `boolean ${v.value}`;
    case "number":
      return `number ${v.text}`;
    case "string":
      return `string ${JSON.stringify(v.value.length > 40 ? v.value.slice(0, 40) + "…" : v.value)}`;
    case "array":
      return "a list";
    case "object":
      return "a mapping";
  }
}

class Converter {
  constructor(
    private doc: Document,
    private lines: LineCounter,
  ) {}

  line(node: { range?: [number, number, number] | null } | null | undefined): number {
    const off = node?.range?.[0];
    return off === undefined ? 0 : this.lines.linePos(off).line;
  }

  convert(node: unknown, depth = 0, aliasLine = 0): JVal {
    if (depth > MAX_DEPTH) return { kind: "null", line: aliasLine };
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return this.convert(target, depth + 1, this.line(node));
    }
    const line = aliasLine || this.line(node as YamlNode);
    if (node === null || node === undefined) return { kind: "null", line };
    if (isScalar(node)) return this.scalar(node, line);
    if (isSeq(node)) return { kind: "array", items: node.items.map((i) => this.convert(i, depth + 1)), line };
    if (isMap(node)) {
      const entries: Array<{ key: string; keyLine: number; value: JVal }> = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = isAlias(pair.key) ? pair.key.resolve(this.doc) : pair.key;
        const key = isScalar(k) ? String(k.source ?? k.value) : JSON.stringify(k);
        const keyLine = this.line(pair.key as YamlNode) || line;
        const value = this.convert(pair.value, depth + 1);
        // A block mapping/list starts on the line after its key: report problems with the
        // collection itself (wrong type, missing @type) at the key, where the reader looks.
        if (value.kind === "object" || value.kind === "array") value.line = keyLine;
        entries.push({ key, keyLine, value });
      }
      return { kind: "object", entries, line };
    }
    return { kind: "null", line };
  }

  scalar(node: Scalar, line: number): JVal {
    const v = node.value;
    if (node.type && node.type !== Scalar.PLAIN) return { kind: "string", value: String(v), line };
    if (v === null || v === undefined) return { kind: "null", line };
    if (typeof v === "boolean") return { kind: "bool", value: v, line };
    if (typeof v === "number") return { kind: "number", value: v, text: node.source ?? String(v), line };
    if (typeof v === "bigint") return { kind: "number", value: Number(v), text: node.source ?? String(v), line };
    return { kind: "string", value: node.source ?? String(v), line };
  }
}

// ---------------------------------------------------------------------------------------------
// Proto3 JSON checks

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

const WRAPPERS: Record<string, string> = {
  "google.protobuf.DoubleValue": "double",
  "google.protobuf.FloatValue": "float",
  "google.protobuf.Int64Value": "int64",
  "google.protobuf.UInt64Value": "uint64",
  "google.protobuf.Int32Value": "int32",
  "google.protobuf.UInt32Value": "uint32",
  "google.protobuf.BoolValue": "bool",
  "google.protobuf.StringValue": "string",
  "google.protobuf.BytesValue": "bytes",
};

/** Messages whose JSON form is not an object of fields; inside an Any they sit under "value". */
const SPECIAL_JSON = new Set([
  ...Object.keys(WRAPPERS),
  "google.protobuf.Duration",
  "google.protobuf.Timestamp",
  "google.protobuf.FieldMask",
  "google.protobuf.Struct",
  "google.protobuf.Value",
  "google.protobuf.ListValue",
]);

const TYPED_STRUCT = new Set(["udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct"]);

const DURATION_RE = /^(-)?(\d+)(\.\d{1,9})?s$/;
const MAX_DURATION_SECONDS = 315576000000n;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/\-_]{4})*(?:[A-Za-z0-9+/\-_]{2}(?:==)?|[A-Za-z0-9+/\-_]{3}=?)?$/;
const INT_TEXT_RE = /^-?\d+$/;

/** protoc's default JSON name: drop underscores, upper-case the letter after each. */
export function jsonName(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase().replace(/_/g, "");
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase().replace(/_/g, ""));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

function keyPath(base: string, key: string): string {
  const seg = /^[A-Za-z_@][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  if (!base) return seg;
  return seg.startsWith('"') ? `${base}[${seg}]` : `${base}.${seg}`;
}

interface FieldIndex {
  byName: Map<string, protobuf.Field>;
}

class Checker {
  readonly errors: SchemaError[] = [];
  private indexes = new Map<protobuf.Type, FieldIndex>();

  constructor(private root: protobuf.Root) {}

  private err(path: string, line: number, message: string): void {
    this.errors.push({ path: path || "(root)", line, message });
  }

  private index(type: protobuf.Type): FieldIndex {
    let idx = this.indexes.get(type);
    if (!idx) {
      const byName = new Map<string, protobuf.Field>();
      for (const f of type.fieldsArray) {
        byName.set(f.name, f);
        byName.set(jsonName(f.name), f);
        const custom = f.options?.["json_name"];
        if (typeof custom === "string") byName.set(custom, f);
      }
      idx = { byName };
      this.indexes.set(type, idx);
    }
    return idx;
  }

  /** Resolves a type URL ("type.googleapis.com/envoy.x.v3.Y") to a message type. */
  lookupMessage(typeUrl: string): protobuf.Type | undefined {
    const name = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
    return exactType(this.root, name);
  }

  message(v: JVal, type: protobuf.Type, path: string, depth: number, skipKeys?: Set<string>): void {
    if (depth > MAX_DEPTH) return this.err(path, v.line, "nesting too deep");
    const full = type.fullName.slice(1);
    if (v.kind === "null") return;
    if (full in WRAPPERS) return this.scalar(v, WRAPPERS[full], path);
    switch (full) {
      case "google.protobuf.Any":
        return this.any(v, path, depth);
      case "google.protobuf.Duration":
        return this.duration(v, path);
      case "google.protobuf.Timestamp":
        if (v.kind !== "string" || !TIMESTAMP_RE.test(v.value))
          this.err(path, v.line, `expected an RFC 3339 timestamp string such as "2024-01-31T12:00:00Z", got ${describe(v)}`);
        return;
      case "google.protobuf.FieldMask":
        if (v.kind !== "string") this.err(path, v.line, `expected a field mask string such as "a.b,c", got ${describe(v)}`);
        return;
      case "google.protobuf.Struct":
        if (v.kind !== "object") this.err(path, v.line, `expected a mapping (google.protobuf.Struct), got ${describe(v)}`);
        return;
      case "google.protobuf.Value":
        return;
      case "google.protobuf.ListValue":
        if (v.kind !== "array") this.err(path, v.line, `expected a list (google.protobuf.ListValue), got ${describe(v)}`);
        return;
    }
    if (v.kind !== "object") return this.err(path, v.line, `expected a mapping (${full}), got ${describe(v)}`);

    const idx = this.index(type);
    const seen = new Map<protobuf.Field, string>();
    const oneofSet = new Map<protobuf.OneOf, string>();
    for (const { key, keyLine, value } of v.entries) {
      if (skipKeys?.has(key)) continue;
      const p = keyPath(path, key);
      const field = idx.byName.get(key);
      if (!field) {
        const names = type.fieldsArray.map((f) => f.name);
        const hint = closest(key, [...names, ...names.map(jsonName)]);
        const known = names.length <= 12 ? `; known fields: ${names.join(", ")}` : "";
        this.err(p, keyLine, `unknown field "${key}" in ${full}${hint ? ` (did you mean "${hint}"?)` : known}`);
        continue;
      }
      const prev = seen.get(field);
      if (prev !== undefined) {
        this.err(p, keyLine, `field "${field.name}" is set twice (as "${prev}" and "${key}")`);
        continue;
      }
      seen.set(field, key);
      const oneof = field.partOf;
      if (oneof && value.kind !== "null") {
        const other = oneofSet.get(oneof);
        if (other !== undefined) {
          this.err(p, keyLine, `"${key}" and "${other}" are both set, but they belong to oneof "${oneof.name}" of ${full}: set only one`);
        } else oneofSet.set(oneof, key);
      }
      this.field(value, field, p, depth + 1);
    }
  }

  private field(v: JVal, field: protobuf.Field, path: string, depth: number): void {
    field.resolve();
    if (field.map) {
      if (v.kind === "null") return;
      const keyType = field instanceof protobuf.MapField ? field.keyType : "string";
      if (v.kind !== "object") return this.err(path, v.line, `expected a mapping (map<${keyType}, ${field.type}>), got ${describe(v)}`);
      for (const e of v.entries) {
        const p = keyPath(path, e.key);
        if (keyType === "bool" && e.key !== "true" && e.key !== "false") this.err(p, e.keyLine, `map key must be true or false, got ${JSON.stringify(e.key)}`);
        else if (keyType in INT_RANGES && !INT_TEXT_RE.test(e.key)) this.err(p, e.keyLine, `map key must be an integer (${keyType}), got ${JSON.stringify(e.key)}`);
        if (e.value.kind === "null" && field.type !== "google.protobuf.Value") this.err(p, e.value.line, "null is not allowed as a map value");
        else this.single(e.value, field, p, depth);
      }
      return;
    }
    if (field.repeated) {
      if (v.kind === "null") return;
      if (v.kind !== "array") return this.err(path, v.line, `expected a list of ${field.type}, got ${describe(v)}`);
      v.items.forEach((item, i) => {
        const p = `${path}[${i}]`;
        const isValue = field.resolvedType?.fullName === ".google.protobuf.Value";
        if (item.kind === "null" && !isValue) this.err(p, item.line, "null is not allowed in a list");
        else this.single(item, field, p, depth);
      });
      return;
    }
    this.single(v, field, path, depth);
  }

  private single(v: JVal, field: protobuf.Field, path: string, depth: number): void {
    const rt = field.resolvedType;
    if (rt instanceof protobuf.Type) return this.message(v, rt, path, depth);
    if (rt instanceof protobuf.Enum) return this.enumValue(v, rt, path);
    this.scalar(v, field.type, path);
  }

  private enumValue(v: JVal, e: protobuf.Enum, path: string): void {
    if (v.kind === "null") return;
    const full = e.fullName.slice(1);
    if (v.kind === "string") {
      if (Object.prototype.hasOwnProperty.call(e.values, v.value)) return;
      const names = Object.keys(e.values);
      const hint = closest(v.value, names);
      this.err(path, v.line, `invalid value "${v.value}" for enum ${full}${hint ? ` (did you mean "${hint}"?)` : ""}; expected one of ${names.join(", ")}`);
      return;
    }
    if (v.kind === "number") {
      // proto3 enums are open: any int32 number is accepted by the JSON parser.
      if (!Number.isInteger(v.value) || v.value < -(2 ** 31) || v.value >= 2 ** 31) this.err(path, v.line, `invalid enum number ${v.text} for ${full}`);
      return;
    }
    this.err(path, v.line, `expected an enum name of ${full} (${Object.keys(e.values).join(", ")}), got ${describe(v)}`);
  }

  private scalar(v: JVal, type: string, path: string): void {
    if (v.kind === "null") return;
    const bad = (what: string) => this.err(path, v.line, `expected ${what}, got ${describe(v)}`);
    switch (type) {
      case "string":
        if (v.kind !== "string") bad("a string (quote it if it looks like a number or yes/no/on/off)");
        return;
      case "bool":
        if (v.kind !== "bool") bad("a boolean (true or false)");
        return;
      case "bytes":
        if (v.kind !== "string") bad("a base64 string (bytes)");
        else if (!BASE64_RE.test(v.value)) this.err(path, v.line, `expected base64 (bytes), got ${describe(v)}`);
        return;
      case "double":
      case "float":
        if (v.kind === "number") return;
        if (v.kind === "string" && (/^(NaN|-?Infinity)$/.test(v.value) || (v.value.trim() !== "" && Number.isFinite(Number(v.value))))) return;
        bad(`a number (${type})`);
        return;
    }
    const range = INT_RANGES[type];
    if (!range) return bad(`a value of unsupported type ${type}`);
    let n: bigint | undefined;
    if (v.kind === "number") {
      if (Number.isInteger(v.value)) n = INT_TEXT_RE.test(v.text) ? BigInt(v.text) : BigInt(v.value);
    } else if (v.kind === "string" && INT_TEXT_RE.test(v.value.trim())) n = BigInt(v.value.trim());
    if (n === undefined) return bad(`an integer (${type})`);
    if (n < range[0] || n > range[1]) this.err(path, v.line, `${n} is out of range for ${type} [${range[0]}, ${range[1]}]`);
  }

  private duration(v: JVal, path: string): void {
    const m = v.kind === "string" ? DURATION_RE.exec(v.value) : null;
    if (!m) return this.err(path, v.line, `expected a duration string such as "15s" or "0.250s", got ${describe(v)}`);
    if (BigInt(m[2]) > MAX_DURATION_SECONDS) this.err(path, v.line, `duration ${(v as { value: string }).value} is out of range (at most ${MAX_DURATION_SECONDS}s)`);
  }

  private any(v: JVal, path: string, depth: number): void {
    if (v.kind !== "object") return this.err(path, v.line, `expected a mapping with "@type" (google.protobuf.Any), got ${describe(v)}`);
    const at = v.entries.find((e) => e.key === "@type");
    if (!at) return this.err(path, v.line, `google.protobuf.Any needs an "@type" naming the message, e.g. "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"`);
    const atPath = keyPath(path, "@type");
    if (at.value.kind !== "string") return this.err(atPath, at.keyLine, `"@type" must be a string, got ${describe(at.value)}`);
    const url = at.value.value;
    if (!url.includes("/")) return this.err(atPath, at.keyLine, `"@type" must be a type URL such as "type.googleapis.com/${url}"`);
    const t = this.lookupMessage(url);
    if (!t) return this.err(atPath, at.keyLine, `cannot resolve @type "${url}": no such message in Envoy's v3 API (or the overlay)`);
    const full = t.fullName.slice(1);
    if (SPECIAL_JSON.has(full)) {
      for (const e of v.entries) {
        if (e.key === "@type") continue;
        if (e.key !== "value") this.err(keyPath(path, e.key), e.keyLine, `unknown field "${e.key}": an Any holding ${full} takes its JSON under "value"`);
        else this.message(e.value, t, keyPath(path, "value"), depth + 1);
      }
      return;
    }
    this.message(v, t, path, depth + 1, new Set(["@type"]));
    if (TYPED_STRUCT.has(full)) this.typedStruct(v, path, depth);
  }

  /** TypedStruct carries a config as a Struct plus the type URL it must parse as: check that too. */
  private typedStruct(v: JVal & { kind: "object" }, path: string, depth: number): void {
    const urlEntry = v.entries.find((e) => e.key === "type_url" || e.key === "typeUrl");
    const value = v.entries.find((e) => e.key === "value");
    if (!urlEntry || urlEntry.value.kind !== "string") return;
    const t = this.lookupMessage(urlEntry.value.value);
    if (!t) return this.err(keyPath(path, urlEntry.key), urlEntry.keyLine, `cannot resolve type_url "${urlEntry.value.value}": no such message in Envoy's v3 API (or the overlay)`);
    if (value && value.value.kind === "object") this.message(value.value, t, keyPath(path, "value"), depth + 1);
  }
}

/** Picks the root message: a leading comment `# envoy-schema: <message>` overrides Bootstrap. */
function rootTypeName(text: string): string {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "" || t === "---") continue;
    if (!t.startsWith("#")) break;
    const m = /^#\s*envoy-schema:\s*([A-Za-z0-9_.]+)\s*$/.exec(t);
    if (m) return m[1];
  }
  return BOOTSTRAP;
}

/**
 * Validates one Envoy config document (YAML or JSON text) against Envoy's v3 API. The root message
 * is envoy.config.bootstrap.v3.Bootstrap unless the file starts with `# envoy-schema: <message>`.
 * `options.rootType` overrides both. `file` only labels parse errors. Returns every problem found
 * (an empty list means valid).
 */
export function validateEnvoyYaml(text: string, file?: string, options: { rootType?: string } = {}): ValidationResult {
  const { root } = loadEnvoySchema();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, schema: "yaml-1.1", merge: false, uniqueKeys: true, prettyErrors: false });
  const errors: SchemaError[] = [];
  for (const e of doc.errors) {
    const line = e.pos ? lines.linePos(e.pos[0]).line : 0;
    errors.push({ path: "(yaml)", line, message: `${file ? file + ": " : ""}YAML: ${e.message.split("\n")[0]}` });
  }
  if (errors.length) return { errors };
  const typeName = options.rootType ?? rootTypeName(text);
  const type = exactType(root, typeName);
  if (!type) return { errors: [{ path: "(root)", line: 1, message: `unknown root message ${typeName} (expected a fully qualified name such as ${BOOTSTRAP})` }] };
  const value = new Converter(doc, lines).convert(doc.contents);
  const checker = new Checker(root);
  checker.message(value, type, "", 0);
  return { errors: checker.errors };
}

/** One line per error, `file:line: path: message`. */
export function formatErrors(file: string, errors: SchemaError[]): string[] {
  return errors.map((e) => `${file}:${e.line || "?"}: ${e.path}: ${e.message}`);
}
