// Memory bound (issue 11): a stream's peak linear memory is a small multiple of what it must hold.
// Memory is deterministic for a given build and input (unlike time), so the bound is asserted as a
// ratio: growth of a fresh VM's linear memory over one PII-dense body / the body's bytes
// (bench/memory.ts piiPeakFor, the same measure `npm run bench` reports). AssemblyScript's allocator
// grows memory by doubling, so the bounds leave room for one step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { WASM } from "./helpers.ts";
import { piiPeakFor } from "../../../bench/memory.ts";

const MiB = 1048576;

test("memory: a buffered JSON request (with or without escapes in its text) peaks at <= 3x the body", async () => {
  for (const kind of ["json", "json-escaped"] as const) {
    const r = await piiPeakFor(WASM, kind, 2 * MiB, `memtest-${kind}`);
    const ratio = (r.peak - r.idle) / r.bodyBytes;
    assert.ok(ratio <= 3, `${kind}: ${(r.peak / MiB).toFixed(2)} MiB for ${r.bodyBytes} bytes = ${ratio.toFixed(2)}x`);
  }
});

test("memory: one large SSE event arriving in pieces peaks at <= 5x the event (held once, written as read)", async () => {
  const r = await piiPeakFor(WASM, "sse-event", 2 * MiB, "memtest-sse-event");
  const ratio = (r.peak - r.idle) / r.bodyBytes;
  assert.ok(ratio <= 5, `${(r.peak / MiB).toFixed(2)} MiB for ${r.bodyBytes} bytes = ${ratio.toFixed(2)}x`);
});

test("memory: a stream of small SSE events or text holds only its undecided tail (peak independent of the answer's size)", async () => {
  for (const kind of ["sse-deltas", "text"] as const) {
    const r = await piiPeakFor(WASM, kind, 3 * MiB, `memtest-${kind}`);
    assert.ok(r.peak <= 1.5 * MiB, `${kind}: ${(r.peak / MiB).toFixed(2)} MiB for ${r.bodyBytes} bytes`);
  }
});
