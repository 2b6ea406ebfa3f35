// The console in a real browser (Debian's chromium through playwright-core), behind the real
// `npm start` entry point: requests go through the gateway over loopback and must show up on the
// page with the filters' decisions; secrets must never reach the page or its event stream; a
// bounded burst must all arrive. Takes the README's screenshot (docs/console.png with AIGW_UPDATE_SCREENSHOT=1).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { launchChromium, type Browser } from "./browser.ts";
import { startConsole } from "../server.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib2IiLCJleHAiOjQxMDI0NDQ4MDB9.dGhpcy1pcy1ub3QtYS1yZWFsLXNpZ25hdHVyZQ";
const SECRETS = ["sk-demo-bob", JWT, "jane.doe@example.com", "4111 1111 1111 1111", "4111111111111111", "+1 415 555 0100", "sk-proj-leak1234567890"];

// Plain JavaScript as a string: tsx would wrap named functions in a helper the page does not have.
/** Text whose contrast with its background is under 4.5:1 (WCAG 2 AA), as "tag.class: ratio". */
const CONTRAST_CHECK = `(() => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => [c[0], c[1], c[2]].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = (e) => {
    for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3); }
    return [255, 255, 255];
  };
  const bad = [];
  for (const e of document.querySelectorAll("td, th, .chip, dt, dd, label, button, #row-count, .meta, .legend, figcaption, h1, h2, h3, li, p")) {
    if (!e.offsetParent || !e.textContent.trim()) continue;
    const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(e.tagName + "." + e.className + ": " + ratio.toFixed(2) + " " + e.textContent.trim().slice(0, 30));
  }
  return bad;
})()`;

let child: ChildProcess;
let gatewayUrl = "", consoleUrl = "";
let logLines = 0;
let browser: Browser;
let page: Page;
/** Every byte of one event stream opened for the whole run, before any request. */
let rawEvents = "";
let rawStream: ReturnType<typeof request> | null = null;
/** Script errors and CSP violations the page reported. */
const pageErrors: string[] = [];

before(async () => {
  browser = await launchChromium(); // fails with the install command when chromium is missing
  const tsx = import.meta.resolve("tsx");
  child = spawn(process.execPath, ["--import", tsx, join(root, "host-test/src/cli/start.ts"), "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.on("data", (d) => process.stderr.write(`[npm start] ${d}`));
  await new Promise<void>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`npm start printed no URLs within 60 s: ${buf}`)), 60_000);
    child.stdout!.on("data", (d) => {
      buf += d;
      logLines = buf.split("\n").filter((l) => l.startsWith("{")).length;
      const lines = buf.split("\n");
      if (!consoleUrl && lines.length > 2) {
        gatewayUrl = lines[0];
        consoleUrl = /^console: (http:\/\/127\.0\.0\.1:\d+\/) /.exec(lines[1])?.[1] ?? "";
        clearTimeout(timer);
        if (consoleUrl) resolve(); else reject(new Error(`second line is not the console's URL: ${lines[1]}`));
      }
    });
    child.once("exit", (c) => { clearTimeout(timer); reject(new Error(`npm start exited ${c}: ${buf}`)); });
  });
  await new Promise<void>((ok, fail) => {
    rawStream = request(`${consoleUrl}events`, (res) => { res.setEncoding("utf8"); res.on("data", (d: string) => { rawEvents += d; }); ok(); });
    rawStream.on("error", (e) => { if (!rawStream?.destroyed) fail(e); });
    rawStream.end();
  });
  page = await browser.context.newPage();
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") pageErrors.push(m.text()); });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(consoleUrl);
  await page.locator("#connection.live").waitFor({ timeout: 20_000 });
});

after(async () => {
  rawStream?.destroy();
  await browser?.close();
  child?.kill("SIGTERM");
});

function chat(content: string, headers: Record<string, string> = { authorization: "Bearer sk-demo-bob" }, path = "/v1/chat/completions", stream = false) {
  return fetch(`${gatewayUrl}${path}`, {
    method: "POST", headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: stream ? "sample-small" : "echo", stream, messages: [{ role: "user", content }] }),
  }).then(async (r) => { await r.arrayBuffer(); return r.status; }, (e) => { throw new Error(`${path}: ${e.message} (${(e as Error).cause})`); });
}

async function rowCount(): Promise<number> {
  return page.locator("tbody.rec").count();
}
async function waitRows(n: number, ms = 30_000): Promise<void> {
  await page.waitForFunction((k) => document.querySelectorAll("tbody.rec").length >= k, n, { timeout: ms, polling: 100 });
}
/** The newest row's cells by column id. */
async function newestRow(): Promise<Record<string, string>> {
  return page.locator("tbody.rec").first().evaluate((b) => Object.fromEntries([...b.querySelectorAll("tr.main td[data-col]")].map((td) => [td.getAttribute("data-col"), (td.textContent ?? "").trim()])));
}

test("a request through the gateway appears with its route, consumer, each filter's decision, latency and status", async () => {
  const before = await rowCount();
  assert.equal(await chat("write to jane.doe@example.com please"), 200);
  await waitRows(before + 1);
  const r = await newestRow();
  assert.equal(r.route, "chat");
  assert.equal(r.consumer, "bob");
  assert.equal(r.status, "200");
  assert.match(r.decisions, /auth: allow, consumer bob, via api_key/);
  assert.match(r.decisions, /pii: masked, request: EMAIL×1/);
  assert.match(r.latency, /^\d+ ms$/);
  assert.match(r.ttft, /^\d+ ms$/);
  assert.match(r.tokens, /^\d+\/\d+$/);

  // A refusal: auth denies, pii-mask is never reached.
  assert.equal(await chat("hello", {}), 401);
  await waitRows(before + 2);
  const d = await newestRow();
  assert.equal(d.status, "401");
  assert.match(d.decisions, /auth: deny: /);
  assert.match(d.decisions, /pii: not reached/);

  // A card number blocked by pii-mask; a streamed answer; the health route (no filters).
  assert.equal(await chat("my card is 4111 1111 1111 1111"), 400);
  await waitRows(before + 3);
  assert.match((await newestRow()).decisions, /pii: blocked:CREDIT_CARD, request: CREDIT_CARD×1/);
  assert.equal(await chat("tell me a story", undefined, "/v1/chat/completions", true), 200);
  // The log line is written just after the client read the last byte: wait for it, so the next
  // request's row is the newest.
  await waitRows(before + 4);
  await fetch(`${gatewayUrl}/healthz`).then((x) => x.text());
  await waitRows(before + 5);
  assert.match((await newestRow()).decisions, /no filters/);
  await page.waitForFunction(() => Number(document.querySelector('[data-total="Requests"]')?.textContent) >= 5, null, { timeout: 10_000 });
  assert.ok(Number(await page.locator('[data-total="Blocked by a filter"]').textContent()) >= 2);
});

test("keyboard: Tab reaches a row's button, Enter expands the whole audit record and the chain in order", async () => {
  const card = page.locator("tbody.rec").filter({ hasText: "blocked:CREDIT_CARD" }).first();
  const button = card.locator("button.expand");
  await page.locator("#filter").focus();
  // From the filter box, Tab moves through Pause then the rows' buttons (newest first).
  let found = false;
  for (let i = 0; i < 12 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await button.evaluate((b) => b === document.activeElement);
  }
  assert.ok(found, "the row's expand button is reachable with Tab");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Enter");
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  const detail = page.locator(`#${await button.getAttribute("aria-controls")}`);
  assert.equal(await detail.isVisible(), true);
  const chain = await detail.locator("ol.chain > li").allTextContents();
  // The chat route's chain in the description's order: auth first, pii refusing, the filters after it
  // (cache, llm-route, ...) shown as not reached.
  assert.ok(chain.length >= 3, chain.join(" | "));
  assert.match(chain[0], /^auth \(module auth\) — decided allow, consumer bob/);
  const pii = chain.findIndex((c) => c.startsWith("pii "));
  assert.match(chain[pii] ?? "", /^pii \(module pii-mask\) — refused blocked:CREDIT_CARD/);
  for (const later of chain.slice(pii + 1)) assert.match(later, /— not reached/);
  assert.match(chain[chain.length - 1], /^route \(module llm-route\)/);
  const record = await detail.locator("dl.record").first().textContent();
  for (const k of ["request_id", "route", "status", "details", "duration_ms", "bytes_received", "upstream"]) assert.ok(record!.includes(k), k);
  assert.match(await detail.locator("pre").textContent() ?? "", /"aigw.pii.action": "blocked:CREDIT_CARD"/);
  await page.keyboard.press("Space");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Enter");

  // The README's screenshot, with that row open: rewritten in docs/ only when asked
  // (AIGW_UPDATE_SCREENSHOT=1), so a test run leaves the checkout as it found it.
  const shotDir = process.env.AIGW_UPDATE_SCREENSHOT === "1" ? join(root, "docs") : mkdtempSync(join(tmpdir(), "aigw-console-"));
  mkdirSync(shotDir, { recursive: true });
  const shot = join(shotDir, "console.png");
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(statSync(shot).size > 10_000, "the screenshot shows a rendered page");
});

test("labels, live regions and contrast: every control is named, text meets WCAG AA", async () => {
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("button, input")].filter((e) => {
    const label = e.getAttribute("aria-label") || (e.id && document.querySelector(`label[for="${e.id}"]`)?.textContent) || e.textContent;
    return !label?.trim();
  }).map((e) => e.outerHTML));
  assert.deepEqual(unnamed, []);
  assert.equal(await page.locator("[aria-live=polite]#announce").count(), 1);
  assert.equal(await page.locator("#connection[role=status]").count(), 1);
  assert.equal(await page.locator("html[lang=en]").count(), 1);
  const low = await page.evaluate(CONTRAST_CHECK) as string[];
  assert.deepEqual(low, []);
  assert.deepEqual(pageErrors, [], "no script error, no Content-Security-Policy violation");
});

test("a key, a JWT or a masked value never reaches the page or its event stream", async () => {
  const n = await rowCount();
  const statuses = await Promise.all([
    chat("mail jane.doe@example.com or call +1 415 555 0100"),
    chat("card 4111111111111111"),
    chat("hello", { authorization: `Bearer ${JWT}` }),
    chat("hello", { authorization: "Bearer sk-demo-bob", "x-api-key": "sk-proj-leak1234567890" }),
    chat("hello", { authorization: "Bearer sk-demo-bob" }, "/v1/chat/completions?api_key=sk-demo-bob"),
  ]);
  assert.deepEqual(statuses, [200, 400, 401, 200, 200]);
  await waitRows(n + 5);
  // Open every row so each record is rendered in full, then read everything the page holds.
  await page.locator("button.expand[aria-expanded=false]").evaluateAll((bs) => { for (const b of bs) (b as HTMLButtonElement).click(); });
  const html = await page.content();
  const text = await page.evaluate(() => document.body.innerText);
  await page.waitForFunction(() => true);
  for (const s of SECRETS) {
    assert.equal(html.includes(s), false, `${s} is in the page`);
    assert.equal(text.includes(s), false, `${s} is in the page text`);
    assert.equal(rawEvents.includes(s), false, `${s} is in the raw event stream`);
  }
  // The access log already prints the path without its query (%REQ_WITHOUT_QUERY%); the console's
  // own cut ("?…") stays as a second guard for records from elsewhere.
  assert.match(rawEvents, /"path":"\/v1\/chat\/completions(\?…)?"/, "the path is there");
  assert.doesNotMatch(rawEvents, /"path":"[^"]*\?[^…]/, "no query string reaches the page");
  assert.match(html, /aigw\.pii\.request/, "the records are there, with their entity types");
  // The defensive scrub, seen in the browser: a record that breaks the contract is shown withheld.
  const c = await startConsole({ routes: [], gatewayUrl: "http://127.0.0.1:1", port: 0 });
  try {
    const p2 = await browser.context.newPage();
    await p2.goto(c.url);
    c.publish({ time: new Date().toISOString(), method: "POST", path: "/x", route: null, status: 200, "aigw.oops": `Bearer ${JWT}`, "aigw.pii.value": "jane.doe@example.com" });
    await p2.locator("tbody.rec button.expand").click();
    const shown = await p2.locator("tbody.rec").textContent();
    assert.match(shown!, /\[scrubbed\]/);
    assert.match(shown!, /Withheld by the console/);
    assert.equal((await p2.content()).includes(JWT) || shown!.includes("jane.doe"), false);
    await p2.close();
  } finally {
    await c.close();
  }
});

test("the page keeps up with a bounded burst of 200 requests", async () => {
  const start = await rowCount();
  const logsBefore = logLines;
  const total = 200;
  let next = 0;
  // 8 at a time; every 5th without a key (refused by auth). Those are GETs: a POST refused before
  // its body was read leaves the HTTP/1 connection in a state where the local gateway, unlike
  // Envoy, does not answer with `connection: close`, and undici's next request on it can fail.
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < total) {
      const i = next++;
      if (i % 5 === 0) assert.equal((await fetch(`${gatewayUrl}/v1/models`).then(async (r) => { await r.arrayBuffer(); return r.status; })), 401);
      else assert.equal(await chat(`burst ${i}`), 200);
    }
  }));
  await waitRows(start + total, 60_000);
  assert.equal(await rowCount(), start + total, "each record once");
  for (let i = 0; i < 100 && logLines < logsBefore + total; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(logLines - logsBefore, total, "the access log printed the same records");
  await page.waitForFunction((k) => Number(document.querySelector('[data-total="Requests"]')?.textContent) === k, logLines, { timeout: 10_000 });
  const seqs = await page.locator("tbody.rec").evaluateAll((bs) => bs.map((b) => Number(b.getAttribute("data-seq"))));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), "newest first");
  assert.equal(new Set(seqs).size, seqs.length);
  const refused = await page.locator("tbody.rec").filter({ hasText: "burst" }).count();
  assert.equal(refused, 0, "no prompt text on the page");
  // Filtering the table by text: the refused ones.
  await page.locator("#filter").fill("deny:");
  const visible = await page.locator("tbody.rec:not([hidden])").count();
  assert.ok(visible >= total / 5, `${visible} refused rows shown`);
  await page.locator("#filter").fill("");
});

test("filters not built yet: their keys bring their columns and chain steps; the table keeps only the history limit", async () => {
  const routes = [{ name: "chat", target: "provider sample", filters: [{ name: "auth", module: "auth" }, { name: "guard", module: "prompt-guard" }, { name: "router", module: "llm-route" }, { name: "budget", module: "quota" }] }];
  const c = await startConsole({ routes, gatewayUrl: "http://127.0.0.1:1", port: 0, historyLimit: 50 });
  const p2 = await browser.context.newPage();
  try {
    await p2.goto(c.url);
    await p2.locator("#connection.live").waitFor({ timeout: 10_000 });
    const base = { time: new Date().toISOString(), method: "POST", path: "/v1/chat/completions", route: "chat", status: 200, details: "via_upstream", duration_ms: 120, upstream: "sample", "aigw.consumer": "alice", "aigw.auth.decision": "allow" };
    c.publish(base);
    await p2.locator("tbody.rec").first().waitFor();
    const heads = async () => (await p2.locator("#requests thead th").allTextContents()).map((t) => t.trim());
    for (const h of ["Model", "Cost", "Guard", "Cache", "Quota left", "Anomaly", "Failover"]) assert.equal((await heads()).includes(h), false, `${h} before any filter wrote it`);
    c.publish({ ...base, "aigw.guard.score": "0.12", "gen_ai.request.model": "fast", "gen_ai.response.model": "gpt-4o-mini", "gen_ai.provider.name": "openai",
      "gen_ai.usage.input_tokens": "812", "gen_ai.usage.output_tokens": "95", "aigw.cost_micro_usd": "1530", "aigw.failover": "anthropic->openai",
      "aigw.cache.status": "miss", "aigw.quota.remaining_tokens": "40000", "aigw.quota.anomaly": "spike", "aigw.newthing.flag": "on" });
    await p2.waitForFunction(() => document.querySelectorAll("tbody.rec").length === 2);
    for (const h of ["Model", "Cost", "Guard", "Cache", "Quota left", "Anomaly", "Failover", "Provider", "Tokens in/out"]) assert.ok((await heads()).includes(h), `${h} once a record has it`);
    const row = await p2.locator("tbody.rec").first().evaluate((b) => Object.fromEntries([...b.querySelectorAll("td[data-col]")].map((td) => [td.getAttribute("data-col"), td.textContent])));
    assert.equal(row.model, "gpt-4o-mini");
    assert.equal(row.provider, "openai");
    assert.equal(row.tokens, "812/95");
    assert.equal(row.cost, "$0.001530");
    assert.equal(row.quota, "40000");
    assert.match(row.decisions ?? "", /auth: allow.*guard: score 0\.12.*router: .*budget: /);
    await p2.locator("tbody.rec").first().locator("button.expand").press("Enter");
    const detail = p2.locator("tbody.rec").first().locator("tr.detail");
    assert.deepEqual((await detail.locator("ol.chain > li > strong").allTextContents()), ["auth", "guard", "router", "budget"]);
    assert.match(await detail.textContent() ?? "", /Other filter state.*aigw\.newthing\.flag.*on/s);
    assert.match(await p2.locator('[data-total="Cost"]').textContent() ?? "", /^\$0\.0015/);
    // 120 more records: the page keeps the last 50 (the history limit), newest first.
    for (let i = 0; i < 120; i++) c.publish({ ...base, duration_ms: i });
    await p2.waitForFunction(() => document.querySelector("tbody.rec td[data-col=latency]")?.textContent === "119 ms", null, { timeout: 20_000 });
    assert.equal(await p2.locator("tbody.rec").count(), 50);
  } finally {
    await p2.close();
    await c.close();
  }
});
