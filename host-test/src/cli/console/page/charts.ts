// Hand-drawn SVG charts (no library: three chart shapes do not justify a dependency). Each chart is
// a <figure> with a caption and an aria-label that says the figures in words; colours come with
// text labels and a pattern of shapes, never colour alone.
import type { Bucket, Group, LatencyGroup, Stats } from "../stats.ts";
import { el, fmtCost, fmtNumber, svg } from "./dom.ts";

// Drawn at about the size shown on a laptop (4 charts a row), so 11px text stays 11px.
const W = 300, H = 120, PAD_L = 36, PAD_B = 22, PAD_T = 8;
const SERIES = ["#1f5fa8", "#b3261e", "#1b7a3d", "#7a4aa0", "#9a5b00", "#006d75"];

function figure(id: string, caption: string, chart: Node, label: string): HTMLElement {
  const f = el("figure", { id, class: "chart" }, el("figcaption", {}, caption));
  const wrap = el("div", { role: "img", "aria-label": `${caption}: ${label}` }, chart);
  f.append(wrap);
  return f;
}

function timeLabel(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** Requests per bucket, blocked part stacked on top, with the time axis. */
export function requestsChart(timeline: Bucket[], bucketMs: number): HTMLElement {
  const max = Math.max(1, ...timeline.map((b) => b.requests));
  const n = Math.max(timeline.length, 12);
  const bw = (W - PAD_L) / n;
  const y = (v: number) => PAD_T + (H - PAD_T - PAD_B) * (1 - v / max);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", "aria-hidden": "true" });
  g.append(svg("text", { x: 2, y: PAD_T + 8, class: "axis" }, fmtNumber(max)), svg("text", { x: 2, y: H - PAD_B, class: "axis" }, "0"));
  g.append(svg("line", { x1: PAD_L, x2: W, y1: H - PAD_B, y2: H - PAD_B, class: "grid" }));
  timeline.forEach((b, i) => {
    const x = PAD_L + i * bw + 1;
    const ok = b.requests - b.blocked;
    g.append(svg("rect", { x, y: y(ok), width: Math.max(1, bw - 2), height: H - PAD_B - y(ok), class: "bar-ok" }));
    if (b.blocked) g.append(svg("rect", { x, y: y(b.requests), width: Math.max(1, bw - 2), height: y(ok) - y(b.requests), class: "bar-blocked" }));
  });
  if (timeline.length) {
    g.append(svg("text", { x: PAD_L, y: H - 6, class: "axis" }, timeLabel(timeline[0].t)));
    if (timeline.length > 1) g.append(svg("text", { x: W, y: H - 6, class: "axis", "text-anchor": "end" }, timeLabel(timeline[timeline.length - 1].t)));
  }
  const legend = el("p", { class: "legend" }, el("span", { class: "key key-ok" }, "passed"), " ", el("span", { class: "key key-blocked" }, "blocked by a filter"), ` · one bar per ${bucketMs / 1000} s`);
  const total = timeline.reduce((a, b) => a + b.requests, 0), blocked = timeline.reduce((a, b) => a + b.blocked, 0);
  const f = figure("chart-requests", "Requests over time", g, `${total} requests, ${blocked} blocked, in the last ${timeline.length} intervals of ${bucketMs / 1000} seconds`);
  f.append(legend);
  return f;
}

/** One value per interval as bars (tokens, cost over time). */
export function seriesChart(id: string, caption: string, timeline: Bucket[], bucketMs: number, value: (b: Bucket) => number, fmt: (n: number) => string, empty: string): HTMLElement {
  const total = timeline.reduce((a, b) => a + value(b), 0);
  if (!total) return figure(id, caption, el("p", { class: "none" }, empty), empty);
  const max = Math.max(...timeline.map(value));
  const n = Math.max(timeline.length, 12);
  const bw = (W - PAD_L) / n;
  const y = (v: number) => PAD_T + (H - PAD_T - PAD_B) * (1 - v / max);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", "aria-hidden": "true" });
  g.append(svg("text", { x: 2, y: PAD_T + 8, class: "axis" }, fmt(max)), svg("text", { x: 2, y: H - PAD_B, class: "axis" }, "0"));
  g.append(svg("line", { x1: PAD_L, x2: W, y1: H - PAD_B, y2: H - PAD_B, class: "grid" }));
  timeline.forEach((b, i) => {
    const v = value(b);
    if (v > 0) g.append(svg("rect", { x: PAD_L + i * bw + 1, y: y(v), width: Math.max(1, bw - 2), height: H - PAD_B - y(v), class: "bar-ok" }));
  });
  g.append(svg("text", { x: PAD_L, y: H - 6, class: "axis" }, timeLabel(timeline[0].t)));
  if (timeline.length > 1) g.append(svg("text", { x: W, y: H - 6, class: "axis", "text-anchor": "end" }, timeLabel(timeline[timeline.length - 1].t)));
  return figure(id, caption, g, `${fmt(total)} in the last ${timeline.length} intervals of ${bucketMs / 1000} seconds, at most ${fmt(max)} in one`);
}

/** Horizontal bars, one per name, with the value written beside each. */
export function barsChart(id: string, caption: string, groups: Group[], value: (g: Group) => number, fmt: (n: number) => string, empty: string): HTMLElement {
  const rows = groups.filter((g) => value(g) > 0).slice(0, 10);
  if (!rows.length) return figure(id, caption, el("p", { class: "none" }, empty), empty);
  const max = Math.max(...rows.map(value));
  const rowH = 20, labelW = 96, h = rows.length * rowH + 4;
  const g = svg("svg", { viewBox: `0 0 ${W} ${h}`, width: "100%", "aria-hidden": "true" });
  rows.forEach((r, i) => {
    const v = value(r);
    const len = Math.max(2, (W - labelW - 52) * (v / max));
    const yy = i * rowH + 2;
    g.append(svg("text", { x: labelW - 6, y: yy + 13, "text-anchor": "end", class: "label" }, r.name.length > 15 ? `${r.name.slice(0, 14)}…` : r.name));
    g.append(svg("rect", { x: labelW, y: yy + 2, width: len, height: rowH - 6, class: "bar-ok" }));
    g.append(svg("text", { x: labelW + len + 4, y: yy + 13, class: "value" }, fmt(v)));
  });
  return figure(id, caption, g, rows.map((r) => `${r.name} ${fmt(value(r))}`).join("; "));
}

/** p50 (solid) and p95 (dashed) latency lines per provider over the timeline, and the overall figures. */
export function latencyChart(timeline: Bucket[], providers: LatencyGroup[]): HTMLElement {
  const names = providers.map((p) => p.name).slice(0, SERIES.length);
  if (!names.length) return figure("chart-latency", "Latency by provider (p50, p95)", el("p", { class: "none" }, "No answered request yet."), "no answered request yet");
  const max = Math.max(1, ...timeline.flatMap((b) => Object.values(b.latency).map((l) => l.p95 ?? 0)));
  const n = Math.max(timeline.length, 12);
  const step = (W - PAD_L) / Math.max(1, n - 1);
  const y = (v: number) => PAD_T + (H - PAD_T - PAD_B) * (1 - v / max);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", "aria-hidden": "true" });
  g.append(svg("text", { x: 2, y: PAD_T + 8, class: "axis" }, `${fmtNumber(max)} ms`), svg("text", { x: 2, y: H - PAD_B, class: "axis" }, "0"));
  g.append(svg("line", { x1: PAD_L, x2: W, y1: H - PAD_B, y2: H - PAD_B, class: "grid" }));
  names.forEach((name, si) => {
    for (const [q, dash] of [["p50", ""], ["p95", "5 3"]] as const) {
      const pts = timeline.map((b, i) => [i, b.latency[name]?.[q]] as const).filter((p): p is readonly [number, number] => typeof p[1] === "number");
      if (!pts.length) continue;
      const d = pts.map(([i, v], k) => `${k ? "L" : "M"}${(PAD_L + i * step).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      g.append(svg("path", { d, fill: "none", stroke: SERIES[si], "stroke-width": 2, "stroke-dasharray": dash }));
      for (const [i, v] of pts) g.append(svg(q === "p50" ? "circle" : "rect", q === "p50" ? { cx: PAD_L + i * step, cy: y(v), r: 2.5, fill: SERIES[si] } : { x: PAD_L + i * step - 2.5, y: y(v) - 2.5, width: 5, height: 5, fill: SERIES[si] }));
    }
  });
  const table = el("table", { class: "mini" },
    el("caption", { class: "sr-only" }, "Latency by provider since the start"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "provider"), el("th", { scope: "col" }, "requests"), el("th", { scope: "col" }, "p50"), el("th", { scope: "col" }, "p95"))),
    el("tbody", {}, ...providers.map((p, i) => el("tr", {},
      el("th", { scope: "row" }, el("span", { class: "swatch", "aria-hidden": "true" }), p.name),
      el("td", {}, String(p.requests)), el("td", {}, p.p50 === null ? "–" : `${p.p50} ms`), el("td", {}, p.p95 === null ? "–" : `${p.p95} ms`)))));
  // Swatch colours are set through the CSSOM (the CSP allows no inline style attribute).
  table.querySelectorAll<HTMLElement>(".swatch").forEach((s, i) => { s.style.background = SERIES[i % SERIES.length]; });
  const label = providers.map((p) => `${p.name}: p50 ${p.p50 ?? "none"} ms, p95 ${p.p95 ?? "none"} ms over ${p.requests} requests`).join("; ");
  const f = figure("chart-latency", "Latency by provider (p50 solid with dots, p95 dashed with squares)", g, label);
  f.append(table);
  return f;
}

export function renderCharts(host: HTMLElement, s: Stats): void {
  const tokens = (g: Group) => g.inputTokens + g.outputTokens;
  const noTokens = "No token usage recorded yet.";
  const noCost = "No cost recorded yet (llm-route writes it).";
  const figs = [
    requestsChart(s.timeline, s.bucketMs),
    latencyChart(s.timeline, s.byProvider),
    seriesChart("chart-tokens-time", "Tokens over time", s.timeline, s.bucketMs, (b) => b.tokens, fmtNumber, noTokens),
    barsChart("chart-tokens-model", "Tokens by model", s.byModel, tokens, fmtNumber, noTokens),
    barsChart("chart-tokens-consumer", "Tokens by consumer", s.byConsumer, tokens, fmtNumber, noTokens),
    ...(s.totals.costSeen ? [
      seriesChart("chart-cost-time", "Cost over time", s.timeline, s.bucketMs, (b) => b.cost, fmtCost, noCost),
      barsChart("chart-cost-model", "Cost by model", s.byModel, (g) => g.cost, fmtCost, noCost),
      barsChart("chart-cost-consumer", "Cost by consumer", s.byConsumer, (g) => g.cost, fmtCost, noCost),
    ] : [figure("chart-cost", "Cost", el("p", { class: "none" }, noCost), noCost)]),
  ];
  // Figures hold nothing focusable, so replacing them all moves no one's focus.
  host.replaceChildren(...figs);
}
