// The store in shared data: memory stays within the budget whatever the traffic (fixed slot keys,
// eviction), corrupt or foreign entries are dropped and never served, and several workers of one
// vm_id share entries without double counting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedData } from "../../../host-test/src/index.ts";
import { linearMemoryBytes } from "../../../bench/memory.ts";
import { ask, chat, load, openaiAnswer, reply, vmId } from "./helpers.ts";

/** Every key and the bytes its value holds, read from the host's store as the ABI sees it. */
function storeBytes(vm: string): { keys: number; bytes: number; held: number } {
  let keys = 0, bytes = 0, held = 0;
  for (const k of Object.keys(sharedData.snapshot(vm))) {
    const v = sharedData.get(vm, k).value!;
    keys++;
    if (k.endsWith(".held")) held = Number(Buffer.from(v).readBigInt64LE(0));
    else bytes += v.length;
  }
  return { keys, bytes, held };
}

test("eviction under the budget: keys and bytes stay bounded while 2,000 distinct answers pass; memory flat", async () => {
  const budget = 65536;
  const p = await load({ budget_bytes: budget, max_entry_bytes: 4096, slots: 64 });
  const padding = "lorem ipsum ".repeat(40); // about 500 bytes an answer
  let atWarm = 0;
  for (let i = 0; i < 2000; i++) {
    const st = ask(p, chat(`question ${i}`));
    reply(st, [openaiAnswer(`${padding} ${i}`)]);
    st.complete();
    const s = storeBytes(p.vmId);
    assert.ok(s.bytes <= budget, `held ${s.bytes} bytes after ${i + 1} answers`);
    assert.ok(s.keys <= 64 + 1, `${s.keys} keys`);
    assert.equal(s.held, s.bytes, "the shared counter equals what the slots hold");
    if (i === 400) atWarm = linearMemoryBytes(p);
  }
  assert.ok(linearMemoryBytes(p) <= atWarm + (1 << 20), `linear memory grew from ${atWarm} to ${linearMemoryBytes(p)}`);
  assert.ok(p.metrics.counter("aigw.cache.evictions")! > 1000);
  assert.equal(p.metrics.gauge("aigw.cache.bytes_held"), storeBytes(p.vmId).bytes);
  // Recent answers are still there.
  assert.ok(ask(p, chat("question 1999")).localReply);
});

test("a tight budget evicts neighbours to make room; an answer over max_entry_bytes is not stored", async () => {
  const p = await load({ budget_bytes: 65536, max_entry_bytes: 8192, slots: 16 });
  reply(ask(p, chat("big")), [openaiAnswer("x".repeat(9000))]);
  assert.equal(ask(p, chat("big")).localReply, null);
  assert.equal(p.metrics.counter("aigw.cache.store_skipped.reason.too_large"), 1);
});

test("corrupt, truncated and foreign values in a slot are dropped, never served", async () => {
  const p = await load({ slots: 16 });
  const answer = openaiAnswer("the real answer");
  reply(ask(p, chat("q")), [answer]);
  const vm = p.vmId;
  const slotKeys = Object.keys(sharedData.snapshot(vm)).filter((k) => !k.endsWith(".held") && sharedData.get(vm, k).value!.length > 0);
  assert.equal(slotKeys.length, 1);
  const key = slotKeys[0];
  const good = sharedData.get(vm, key).value!.slice();

  // One flipped byte in the body: the checksum fails.
  const flipped = good.slice();
  flipped[flipped.length - 3] ^= 0x20;
  sharedData.set(vm, key, flipped, 0);
  const r1 = ask(p, chat("q"));
  assert.equal(r1.localReply, null, "a corrupted entry is a miss");
  assert.equal(sharedData.get(vm, key).value!.length, 0, "and is removed");
  assert.equal(p.metrics.counter("aigw.cache.corrupt_dropped"), 1);

  for (const bad of [good.slice(0, 50), good.slice(0, good.length - 1), new Uint8Array([1, 2, 3]), new TextEncoder().encode("x".repeat(200))]) {
    sharedData.set(vm, key, bad, 0);
    assert.equal(ask(p, chat("q")).localReply, null);
  }
  // A torn length field pointing past the value.
  const torn = good.slice();
  new DataView(torn.buffer).setUint32(8, torn.length + 100, true);
  sharedData.set(vm, key, torn, 0);
  assert.equal(ask(p, chat("q")).localReply, null);
  // The intact bytes are served again.
  sharedData.set(vm, key, good, 0);
  assert.equal(ask(p, chat("q")).localReply!.body, answer);
  // Another key's intact entry in the slot is not this key's answer.
  reply(ask(p, chat("q"), { consumer: "team-b" }), [openaiAnswer("team b")]);
  assert.notEqual(ask(p, chat("q")).localReply?.body, openaiAnswer("team b"));
  assert.deepEqual(p.logs("critical"), []);
});

test("two workers of one vm_id share entries; concurrent identical requests both reach the upstream and store once", async () => {
  const shared = vmId();
  const w1 = await load({}, { vmId: shared });
  const w2 = await load({}, { vmId: shared });
  const a = ask(w1, chat("same"));
  const b = ask(w2, chat("same"));
  assert.equal(a.localReply, null);
  assert.equal(b.localReply, null);
  const answer = openaiAnswer("one answer");
  reply(a, [answer]);
  const afterFirst = storeBytes(shared);
  reply(b, [answer]);
  const afterSecond = storeBytes(shared);
  assert.equal(afterSecond.held, afterFirst.held, "the second store replaced the same key's entry: bytes counted once");
  assert.equal(afterSecond.bytes, afterFirst.bytes);
  assert.equal(ask(w2, chat("same")).localReply!.body, answer);
  assert.equal(ask(w1, chat("same")).localReply!.body, answer);
});
