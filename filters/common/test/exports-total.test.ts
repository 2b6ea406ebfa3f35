// Every exported callback of every filter is total: a trap kills the proxy's Wasm VM (and every
// stream on that worker), so no argument the host could pass may trap. This drives each proxy_on_*
// export of each built filter with context ids the module never saw, tokens it never issued and
// sizes larger than any buffer, then checks the VM is alive and still serves a normal request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { Gateway, loadPlugin, seededRandom } from "../../../host-test/src/index.ts";

const FILTERS = readdirSync("dist").filter((f) => f.endsWith(".wasm")).map((f) => f.slice(0, -5));


const CALLBACKS: Array<[string, number]> = [
  ["proxy_on_request_headers", 3], ["proxy_on_request_body", 3], ["proxy_on_request_trailers", 2],
  ["proxy_on_response_headers", 3], ["proxy_on_response_body", 3], ["proxy_on_response_trailers", 2],
  ["proxy_on_http_call_response", 5], ["proxy_on_grpc_receive", 3], ["proxy_on_grpc_close", 3],
  ["proxy_on_grpc_receive_initial_metadata", 3], ["proxy_on_grpc_receive_trailing_metadata", 3],
  ["proxy_on_tick", 1], ["proxy_on_queue_ready", 2], ["proxy_on_foreign_function", 3],
  ["proxy_on_log", 1], ["proxy_on_done", 1], ["proxy_on_delete", 1],
];

for (const name of FILTERS) {
  test(`${name}: every proxy_on_* export survives unknown ids, tokens and sizes`, async () => {
    const plugin = await loadPlugin(`dist/${name}.wasm`, { vmId: `total-${name}`, logLevel: "critical" });
    const random = seededRandom(0x5eed + name.length);
    const next = () => Math.floor(random() * 4294967296);
    const interesting = [0, 1, 2, 7, 0xffff, 0x7fffffff, 0xffffffff];
    for (let round = 0; round < 300; round++) {
      for (const [fn, arity] of CALLBACKS) {
        // The root context's id is a valid first argument for root callbacks; everything else is arbitrary.
        const args = Array.from({ length: arity }, (_, i) => {
          const r = next();
          if (i === 0 && fn === "proxy_on_tick") return plugin.root.id;
          return r % 3 === 0 ? interesting[r % interesting.length] : r % 1000;
        });
        if (fn === "proxy_on_delete" && args[0] === plugin.root.id) continue; // deleting the root ends the plugin, legitimately
        plugin.vm.call(plugin.root, fn, ...args);
        assert.equal(plugin.vm.failed, false, `${name}: ${fn}(${args.join(", ")}) trapped: ${plugin.vm.failure}`);
      }
    }
    // Still serving: a plain request through the filter gets an answer (whatever the filter decides).
    const res = await new Gateway([plugin], { upstream: () => ({ status: 200, body: "ok" }) }).request({ path: "/healthz" });
    assert.ok(res.status > 0 && res.status !== 503, `${name}: status ${res.status} (${res.responseCodeDetails})`);
  });
}
