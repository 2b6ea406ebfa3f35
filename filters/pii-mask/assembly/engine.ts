// The compiled plan of one plugin: the detector (built-ins + custom patterns/dictionaries, from
// detect/), the action per entity, the digester. Built once in on_configure, shared by every
// stream, never changed afterwards. `emit` is the one place where text is rewritten.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { compilePattern, Dictionary as Dict } from "../../common/assembly/pattern";
import { Detector, Match, BUILTIN_COUNT } from "./detect";
import { A_TOKENIZE, PiiConfig } from "./config";
import { Digester } from "./digest";
import { StreamScope, applyAction } from "./actions";
import { Restore, findPlaceholders } from "./placeholders";

export class EngineResult {
  constructor(public engine: Engine | null, public error: string) {}
}

export class Engine {
  detector: Detector;
  digester: Digester;
  // Scratch lists reused by emit callers (a stream context runs to completion before another).
  matches: Array<Match> = new Array<Match>();
  restores: Array<Restore> = new Array<Restore>();

  constructor(public config: PiiConfig) {
    let mask: u32 = 0;
    for (let i = 0; i < BUILTIN_COUNT; i++) if (config.rules[i].enabled) mask |= (<u32>1) << i;
    this.detector = new Detector(mask);
    this.digester = new Digester(config.secret, config.tokenLength);
  }

  /** Compiles the configuration's custom detectors; the error names the config field. */
  static build(config: PiiConfig): EngineResult {
    const e = new Engine(config);
    let k = BUILTIN_COUNT;
    for (let i = 0; i < config.patterns.length; i++, k++) {
      const r = compilePattern(config.patterns[i].pattern);
      if (r.pattern === null) return new EngineResult(null, "field `custom_patterns[" + i.toString() + "].pattern`: " + r.error);
      const rule = config.rules[k];
      if (rule.enabled) e.detector.addPattern(r.pattern!, rule.id);
    }
    for (let i = 0; i < config.dictionaries.length; i++, k++) {
      const d = new Dict();
      const terms = config.dictionaries[i].terms;
      for (let t = 0; t < terms.length; t++) {
        if (!d.add(terms[t])) return new EngineResult(null, "field `dictionaries[" + i.toString() + "].terms[" + t.toString() + "]`: " + d.error);
      }
      const rule = config.rules[k];
      if (rule.enabled) e.detector.addDictionary(d, rule.id);
    }
    return new EngineResult(e, "");
  }

  /** Bytes a stream must carry so that an entity cut by a chunk end is still found whole. */
  get streamCarry(): i32 { return this.detector.maxEntityLength; }

  /**
   * Writes src[from, cut) to `out` with `matches` (sorted, non-overlapping, byte offsets in src)
   * replaced by their action and, in answers, vault placeholders restored. Matches outside
   * [from, cut) are ignored. Returns false when a block rule fired on a request (out is then
   * incomplete and the caller refuses the request).
   */
  emit(src: Uint8Array, from: i32, cut: i32, matches: Array<Match>, st: StreamScope, response: bool, out: ByteBuilder): bool {
    const cfg = this.config;
    const restores = this.restores;
    restores.length = 0;
    if (response && cfg.anyTokenize) findPlaceholders(src, from, cut, cfg.tokenLength, st.vault, restores);
    let pos = from;
    let ri = 0;
    for (let i = 0; i < matches.length; i++) {
      const m = unchecked(matches[i]);
      if (m.start < pos || m.end > cut) continue;
      const rule = cfg.rule(m.type);
      if (rule === null || !rule.enabled) continue;
      // A client's own tokenized data comes back restored; values of a tokenize type the model
      // writes on its own pass (the provider already has them). Matches inside a placeholder too.
      if (response && rule.action == A_TOKENIZE) continue;
      // Flush restores that end before this match; skip the match if it overlaps one.
      let overlaps = false;
      while (ri < restores.length) {
        const r = unchecked(restores[ri]);
        if (r.start >= m.end) break;
        if (r.end <= m.start) {
          out.appendSlice(src, pos, r.start).appendBytes(r.value);
          st.findings.restored++;
          st.findings.changed = true;
          pos = r.end;
          ri++;
          continue;
        }
        overlaps = true;
        break;
      }
      if (overlaps) continue;
      if (response) st.findings.response.add(rule.name);
      else st.findings.request.add(rule.name);
      out.appendSlice(src, pos, m.start);
      if (!applyAction(out, rule, src, m.start, m.end, this.digester, st, response)) return false;
      pos = m.end;
    }
    while (ri < restores.length) {
      const r = unchecked(restores[ri++]);
      out.appendSlice(src, pos, r.start).appendBytes(r.value);
      st.findings.restored++;
      st.findings.changed = true;
      pos = r.end;
    }
    out.appendSlice(src, pos, cut);
    return true;
  }

  /**
   * Scans and rewrites the whole text src[start, end) into `out`. Returns 1 when something
   * changed, 0 when `out` equals the input, -1 when a block rule fired.
   */
  rewrite(src: Uint8Array, start: i32, end: i32, st: StreamScope, response: bool, out: ByteBuilder): i32 {
    const m = this.matches;
    m.length = 0;
    this.detector.scan(src, start, end, m);
    const restoredBefore = st.findings.restored;
    if (m.length == 0 && !(response && this.config.anyTokenize && st.vault.size > 0)) {
      out.appendSlice(src, start, end);
      return 0;
    }
    const mark = out.length;
    const changedBefore = st.findings.changed;
    st.findings.changed = false;
    if (!this.emit(src, start, end, m, st, response, out)) return -1;
    const changed = st.findings.changed || st.findings.restored != restoredBefore;
    st.findings.changed = changed || changedBefore;
    if (!changed) { out.truncate(mark); out.appendSlice(src, start, end); }
    return changed ? 1 : 0;
  }
}
