// Lost races: another worker writes a counter between this worker's read and its compare-and-swap
// (host-test runs VM calls one at a time, so the race is injected at the host's shared-data set).
// Every update must survive: the final count is exactly this worker's charges plus the other's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedData } from "../../../host-test/src/index.ts";
import { JSON_OK, chat, load, request, respond } from "./helpers.ts";

test("a counter updated by another worker between read and CAS loses no update", async () => {
  const p = await load({ limits: [{ name: "rpd", key: "consumer", window: "1d", limit: 1_000_000 }] });
  const original = sharedData.set;
  let injected = 0;
  let conflicts = 0;
  try {
    sharedData.set = (vmId: string, key: string, value: Uint8Array, cas: number): number => {
      const cur = sharedData.get(vmId, key);
      // Every other CAS write to a live counter: another worker adds 7 first.
      // (only on a record of the current window: one from configure time or an older window is free)
      const live = cur.value && cur.value.length === 20 && new DataView(cur.value.buffer, cur.value.byteOffset, 20).getUint32(16, true) !== 0;
      if (key.startsWith("aigw.quota.rpd.") && cas !== 0 && live && (++conflicts % 2 === 1)) {
        const other = new Uint8Array(cur.value!);
        const view = new DataView(other.buffer);
        view.setBigInt64(8, view.getBigInt64(8, true) + 7n, true);
        original.call(sharedData, vmId, key, other, cur.cas!);
        injected += 7;
      }
      return original.call(sharedData, vmId, key, value, cas);
    };
    for (let i = 0; i < 20; i++) respond(request(p, chat("m"), { who: { consumer: "a" } }), JSON_OK, null);
  } finally {
    sharedData.set = original;
  }
  assert.ok(injected > 0, "races were injected");
  const s = request(p, chat("m"), { who: { consumer: "a" } });
  respond(s, JSON_OK, null);
  // 21 requests of this worker plus the other worker's additions, all counted.
  assert.equal(Number(s.client.headers!.get("x-ratelimit-remaining-requests")), 1_000_000 - 21 - injected);
});
