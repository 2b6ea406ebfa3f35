// Memory safety under AssemblyScript's incremental GC (filters/common/sdk/README.md, "Memory"):
// thousands of streams with bodies through a filter that allocates on every stream (pii-mask
// with tokenize/mask/hash), then the same inputs as at the start must give the same outputs —
// a use-after-free or a stale pinned buffer would corrupt them — and linear memory must stop
// growing. The 1,000,000-stream figure is in `npm run bench`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { linearMemoryBytes, loadForMemory, runStream } from "../../../bench/memory.ts";

const ROOT = new URL("../../..", import.meta.url).pathname;

test("20,000 streams through pii-mask: outputs at the end equal those at the start; memory stays bounded", async () => {
  const plugin = await loadForMemory(ROOT);
  const probes = [0, 1, 2, 3, 42, 96];
  const before = probes.map((i) => runStream(plugin, i));
  // The filter really did its job at the start (otherwise equality below would prove nothing).
  assert.match(before[0].upstreamBody, /\[EMAIL_[0-9a-f]{16}\]/);
  assert.match(before[0].upstreamBody, /\*\*\*\* \*\*\*\* \*\*\*\* 1111/);
  assert.doesNotMatch(before[0].upstreamBody, /user0@example\.com/);

  let atQuarter = 0;
  for (let i = 1; i <= 20_000; i++) {
    runStream(plugin, i);
    if (i === 5_000) atQuarter = linearMemoryBytes(plugin);
  }
  const after = probes.map((i) => runStream(plugin, i));
  assert.deepEqual(after, before);
  const end = linearMemoryBytes(plugin);
  // Bounded: no growth proportional to the number of streams after warm-up (15,000 more streams
  // would need far more than one extra MiB if anything per stream were retained).
  assert.ok(end <= atQuarter + (1 << 20), `linear memory grew from ${atQuarter} to ${end} bytes`);
  assert.deepEqual(plugin.logs("error"), []);
  assert.deepEqual(plugin.logs("critical"), []);
});
