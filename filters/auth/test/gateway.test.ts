// End to end through host-test's Gateway and the official OpenAI client: what an API user sees.
import { test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { Gateway, serveGateway, type UpstreamRequest } from "../../../host-test/src/index.ts";
import { authPlugin, claims, makeKey, provider, signJwt } from "./helpers.ts";

test("OpenAI client: a valid key reaches the upstream with the identity, a wrong one raises AuthenticationError", async () => {
  const hs = makeKey("ES256");
  const p = await authPlugin({
    consumers: [{ name: "team-a", groups: ["chat"] }],
    api_keys: { keys: [{ consumer: "team-a", key: "sk-team-a" }] },
    jwt_providers: [provider([hs], { claim_headers: [{ claim: "sub", header: "x-user-id" }] })],
    rules: [{ prefix: "/v1/embeddings", allow: { groups: ["embeddings"] } }],
  }, { logLevel: "warn" });
  const seen: UpstreamRequest[] = [];
  const gw = new Gateway([p], {
    upstream: (req) => {
      seen.push(req);
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ id: "c1", object: "chat.completion", created: 0, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }] }) };
    },
  });
  const srv = await serveGateway(gw);
  try {
    const ok = new OpenAI({ apiKey: "sk-team-a", baseURL: `${srv.url}/v1`, maxRetries: 0 });
    const c = await ok.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    assert.equal(c.choices[0].message.content, "hi");
    assert.equal(seen[0].headers["x-aigw-consumer"], "team-a");
    assert.equal(seen[0].headers["authorization"], undefined, "the client's key never reaches the upstream");

    const bad = new OpenAI({ apiKey: "sk-wrong", baseURL: `${srv.url}/v1`, maxRetries: 0 });
    await assert.rejects(bad.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
      (e: any) => e instanceof OpenAI.AuthenticationError && e.status === 401 && e.code === "invalid_api_key");

    await assert.rejects(ok.embeddings.create({ model: "m", input: "x" }),
      (e: any) => e instanceof OpenAI.PermissionDeniedError && e.status === 403);

    const jwtClient = new OpenAI({ apiKey: signJwt(hs, claims({ sub: "u-42" })), baseURL: `${srv.url}/v1`, maxRetries: 0 });
    await jwtClient.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    assert.equal(seen.at(-1)!.headers["x-user-id"], "u-42");
    assert.equal(seen.length, 2);
  } finally {
    await srv.close();
  }
});
