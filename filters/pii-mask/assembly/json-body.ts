// JSON-aware rewriting of a whole LLM body (request, non-streamed answer, or one SSE event's JSON):
// only the strings that carry text (common/json/llm.ts decides which) are scanned; each is decoded
// (so an escaped `\u0040` is an '@'), rewritten, and encoded again. Everything else is copied byte
// for byte, so the document stays valid JSON and untouched strings keep their exact form.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { appendJsonEscaped } from "../../common/assembly/json/escape";
import { decodeJsonString } from "../../common/assembly/json/string";
import { JsonError } from "../../common/assembly/json/tokenizer";
import { LlmScanner } from "../../common/assembly/json/llm";
import { Engine } from "./engine";
import { StreamScope } from "./actions";

export const JSON_INVALID: i32 = -2;
export const JSON_BLOCKED: i32 = -1;
export const JSON_UNCHANGED: i32 = 0;
export const JSON_CHANGED: i32 = 1;

/** Scratch buffers of one plugin (streams run one callback at a time). */
export class JsonRewriter {
  scanner: LlmScanner = new LlmScanner(128);
  private decoded: ByteBuilder = new ByteBuilder(256);
  private rewritten: ByteBuilder = new ByteBuilder(256);

  /**
   * Rewrites body[start, end) into `out`. JSON_INVALID: not JSON (out untouched, caller decides);
   * JSON_BLOCKED: a block rule fired; JSON_UNCHANGED: out holds the body as is.
   */
  rewrite(engine: Engine, st: StreamScope, body: Uint8Array, start: i32, end: i32, response: bool, out: ByteBuilder): i32 {
    const scan = this.scanner.scan(body, start, end);
    if (!scan.ok) return JSON_INVALID;
    const spans = scan.spans;
    let pos = start;
    let changed = false;
    const dec = this.decoded;
    const rw = this.rewritten;
    for (let i = 0; i < spans.length; i++) {
      const sp = unchecked(spans[i]);
      if (sp.end <= sp.start) continue;
      let text = body;
      let ts = sp.start;
      let te = sp.end;
      if (sp.hasEscape) {
        dec.reset();
        if (decodeJsonString(body, sp.start, sp.end, dec) != JsonError.NONE) continue;
        text = dec.raw();
        ts = 0;
        te = dec.length;
      }
      rw.reset();
      const r = engine.rewrite(text, ts, te, st, response, rw);
      if (r < 0) return JSON_BLOCKED;
      if (r == 0) continue;
      changed = true;
      out.appendSlice(body, pos, sp.start);
      appendJsonEscaped(out, rw.raw(), 0, rw.length);
      pos = sp.end;
    }
    out.appendSlice(body, pos, end);
    return changed ? JSON_CHANGED : JSON_UNCHANGED;
  }
}
