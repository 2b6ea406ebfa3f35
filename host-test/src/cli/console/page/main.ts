// The console page: one EventSource (/events), a request table built from the audit records
// (known keys get columns when they first appear, every key is in the expanded row), totals and
// charts from the server's stats. DOM work is batched per animation frame so a burst of records
// costs one layout, and the table never holds more than the server's history limit.
import { chainOf, COLUMNS, display, ENVOY_FIELDS, entityText, isBlocked, stateKeys, type Column, type ConsoleRecord, type RouteInfo } from "../model.ts";
import type { Stats } from "../stats.ts";
import { renderCharts } from "./charts.ts";
import { byId, el, fmtCost, fmtNumber } from "./dom.ts";

interface Hello { boot: string; gatewayUrl: string; routes: RouteInfo[]; historyLimit: number }

/** Columns shown from the first record on; the others appear when a record has a value for them. */
const ALWAYS = new Set(["time", "route", "method", "status", "decisions", "latency"]);

const routes = new Map<string, RouteInfo>();
let limit = 500;
const records = new Map<number, { rec: ConsoleRecord; body: HTMLTableSectionElement; text: string }>();
const present = new Set<string>(ALWAYS);
let shown: Column[] = [];
let incoming: ConsoleRecord[] = [];
let held: ConsoleRecord[] = [];
let paused = false;
let stats: Stats | null = null;
let frame = 0;
let query = "";
let announced = { n: 0, blocked: 0 };
let boot = "";

const table = byId<HTMLTableElement>("requests");
const headRow = table.tHead!.rows[0];

function schedule(): void {
  if (!frame) frame = requestAnimationFrame(flush);
}

function flush(): void {
  frame = 0;
  if (incoming.length) {
    const batch = incoming;
    incoming = [];
    let columnsChanged = false;
    for (const r of batch) {
      for (const c of COLUMNS) if (!present.has(c.id) && c.value(r.record) !== null) { present.add(c.id); columnsChanged = true; }
    }
    if (columnsChanged || !shown.length) {
      shown = COLUMNS.filter((c) => present.has(c.id));
      renderHead();
      for (const { rec, body } of records.values()) {
        const wasOpen = body.querySelector("button.expand")?.getAttribute("aria-expanded") === "true";
        const fresh = renderRecord(rec).body;
        body.replaceWith(fresh);
        if (wasOpen) fresh.querySelector<HTMLButtonElement>("button.expand")!.click();
      }
    }
    // Newest first: each record is its own <tbody> (main row + its detail row).
    const first = table.tBodies[0] ?? null;
    const frag = document.createDocumentFragment();
    for (let i = batch.length - 1; i >= 0; i--) {
      const r = batch[i];
      if (records.has(r.seq)) continue;
      frag.append(renderRecord(r).body);
    }
    table.insertBefore(frag, first);
    while (records.size > limit) {
      const oldest = Math.min(...records.keys());
      records.get(oldest)!.body.remove();
      records.delete(oldest);
    }
    byId("empty").hidden = records.size > 0;
    countRows();
  }
  if (stats) { renderTotals(stats); renderCharts(byId("charts"), stats); stats = null; }
}

function renderHead(): void {
  headRow.replaceChildren(
    el("th", { scope: "col" }, el("span", { class: "sr-only" }, "Details")),
    ...shown.map((c) => el("th", { scope: "col", title: c.title }, c.label)),
  );
}

function renderRecord(rec: ConsoleRecord): { body: HTMLTableSectionElement } {
  const r = rec.record;
  const route = routes.get(String(r.route));
  const steps = chainOf(r, route);
  const body = el("tbody", { class: "rec", "data-seq": String(rec.seq) });
  const detailId = `detail-${rec.seq}`;
  const button = el("button", { type: "button", class: "expand", "aria-expanded": "false", "aria-controls": detailId,
    "aria-label": `Details of request ${rec.seq}: ${r.method ?? ""} ${r.path ?? ""}, status ${r.status}` }, "▸");
  const main = el("tr", { class: "main" }, el("td", {}, button));
  for (const c of shown) {
    const td = el("td", { "data-col": c.id });
    if (c.id === "decisions") {
      if (!steps.length) td.append(el("span", { class: "muted" }, route ? "no filters" : "no route"));
      for (const s of steps) td.append(el("span", { class: `chip ${s.state}`, title: `${s.filter.name} (${s.filter.module})` }, `${s.filter.name}: ${s.summary}`), " ");
    } else {
      const v = c.value(r);
      td.textContent = v ?? "";
      const cls = c.cls?.(r);
      if (cls) td.className = cls;
    }
    main.append(td);
  }
  const detail = el("tr", { class: "detail", id: detailId, hidden: "" });
  body.append(main, detail);
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "▾" : "▸";
    if (open && !detail.firstChild) detail.append(el("td", { colspan: String(shown.length + 1) }, renderDetail(rec, route)));
    detail.hidden = !open;
  });
  const text = `${main.textContent} ${Object.entries(r).map(([k, v]) => `${k} ${display(v)}`).join(" ")}`.toLowerCase();
  records.set(rec.seq, { rec, body, text });
  if (query && !text.includes(query)) body.hidden = true;
  return { body };
}

/** The whole audit record and the chain it went through, in order. */
function renderDetail(rec: ConsoleRecord, route: RouteInfo | undefined): HTMLElement {
  const r = rec.record;
  const box = el("div", { class: "detail-box" });
  const steps = chainOf(r, route);
  box.append(el("h3", {}, route ? `Filter chain of route ${route.name} (${route.target})` : "No route matched: no filter ran"));
  if (route && !steps.length) box.append(el("p", {}, "This route runs no filter."));
  if (steps.length) {
    box.append(el("ol", { class: "chain" }, ...steps.map((s) => el("li", { class: s.state },
      el("strong", {}, s.filter.name), ` (module ${s.filter.module}) — `, el("span", { class: `chip ${s.state}` }, stateText(s.state)), " ", s.summary,
      s.fields.length ? el("dl", {}, ...s.fields.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, fieldText(k, v))])) : null))));
  }
  if (rec.scrubbed.length) box.append(el("p", { class: "scrubbed", role: "note" }, `Withheld by the console because they looked like a credential or personal data: ${rec.scrubbed.join(", ")}.`));
  const owned = new Set(steps.flatMap((s) => s.fields.map(([k]) => k)));
  const envoy = Object.keys(r).filter((k) => ENVOY_FIELDS.includes(k));
  const other = stateKeys(r).filter((k) => !owned.has(k));
  box.append(el("h3", {}, "Audit record (the access-log line)"));
  box.append(el("dl", { class: "record" }, ...envoy.flatMap((k) => [el("dt", {}, k), el("dd", {}, display(r[k]))])));
  if (other.length) {
    box.append(el("h4", {}, "Other filter state"));
    box.append(el("dl", { class: "record" }, ...other.flatMap((k) => [el("dt", {}, k), el("dd", {}, display(r[k]))])));
  }
  box.append(el("details", {}, el("summary", {}, "As JSON"), el("pre", {}, JSON.stringify(r, null, 2))));
  return box;
}

function stateText(s: string): string {
  return s === "refused" ? "refused" : s === "decided" ? "decided" : s === "not-reached" ? "not reached" : "no record";
}
function fieldText(k: string, v: string): string {
  const e = /^aigw\.pii\.(request|response)$/.test(k) ? entityText(v) : "";
  return e ? `${e}  (${v})` : v;
}

function renderTotals(s: Stats): void {
  const t = s.totals;
  const tiles: Array<[string, string]> = [["Requests", fmtNumber(t.requests)], ["Blocked by a filter", fmtNumber(t.blocked)], ["Errors (5xx, resets)", fmtNumber(t.errors)]];
  if (t.tokensSeen) tiles.push(["Input tokens", fmtNumber(t.inputTokens)], ["Output tokens", fmtNumber(t.outputTokens)]);
  if (t.costSeen) tiles.push(["Cost", fmtCost(t.cost)]);
  byId("totals").replaceChildren(...tiles.map(([k, v]) => el("div", { class: "tile" }, el("dt", {}, k), el("dd", { "data-total": k }, v))));
  byId("since").textContent = `since ${new Date(s.since).toLocaleTimeString()}`;
}

function countRows(): void {
  const visible = [...records.values()].filter((x) => !x.body.hidden).length;
  byId("row-count").textContent = `${visible} of ${records.size} shown${paused && held.length ? `, ${held.length} waiting` : ""} (last ${limit} kept)`;
}

function applyFilter(): void {
  for (const x of records.values()) x.body.hidden = !!query && !x.text.includes(query);
  countRows();
}

function reset(): void {
  for (const x of records.values()) x.body.remove();
  records.clear();
  incoming = [];
  held = [];
  present.clear();
  for (const id of ALWAYS) present.add(id);
  shown = [];
  byId("empty").hidden = false;
  countRows();
}

function take(list: ConsoleRecord[]): void {
  if (paused) {
    held.push(...list);
    if (held.length > limit) held = held.slice(-limit);
    countRows();
    return;
  }
  incoming.push(...list);
  // A hidden tab gets no animation frames: keep no more than the table could show.
  if (incoming.length > limit) incoming = incoming.slice(-limit);
  for (const r of list) { announced.n++; if (isBlocked(r.record)) announced.blocked++; }
  schedule();
}

// Screen readers hear a summary every few seconds, not every row.
setInterval(() => {
  if (!announced.n) return;
  byId("announce").textContent = `${announced.n} new request${announced.n === 1 ? "" : "s"}${announced.blocked ? `, ${announced.blocked} blocked` : ""}.`;
  announced = { n: 0, blocked: 0 };
}, 4000);

function connect(): void {
  const status = byId("connection");
  const es = new EventSource("/events");
  es.addEventListener("open", () => { status.textContent = "live"; status.className = "live"; });
  es.addEventListener("error", () => {
    status.textContent = es.readyState === EventSource.CLOSED ? "disconnected (reload the page to retry)" : "reconnecting…";
    status.className = "down";
  });
  es.addEventListener("hello", (e) => {
    const h = JSON.parse((e as MessageEvent).data) as Hello;
    if (boot && h.boot !== boot) reset(); // the gateway was restarted: its records start again
    boot = h.boot;
    byId("gateway-url").textContent = h.gatewayUrl;
    routes.clear();
    for (const r of h.routes) routes.set(r.name, r);
    limit = h.historyLimit;
  });
  es.addEventListener("history", (e) => take((JSON.parse((e as MessageEvent).data) as ConsoleRecord[]).filter((r) => !records.has(r.seq))));
  es.addEventListener("record", (e) => take([JSON.parse((e as MessageEvent).data) as ConsoleRecord]));
  es.addEventListener("stats", (e) => { stats = JSON.parse((e as MessageEvent).data) as Stats; schedule(); });
}

byId<HTMLInputElement>("filter").addEventListener("input", (e) => { query = (e.target as HTMLInputElement).value.trim().toLowerCase(); applyFilter(); });
byId("pause").addEventListener("click", (e) => {
  const b = e.currentTarget as HTMLButtonElement;
  paused = !paused;
  b.setAttribute("aria-pressed", String(paused));
  b.textContent = paused ? "Resume" : "Pause";
  if (!paused) { const h = held; held = []; take(h); }
  countRows();
});

shown = COLUMNS.filter((c) => present.has(c.id));
renderHead();
connect();
