#!/usr/bin/env node
// Generates the unrolled parts of filters/auth/assembly/crypto/field.ts: the product-scanning
// multiplications and squarings (8 and 12 limbs) and the special-form reductions (P-256 and P-384
// from the term tables of FIPS 186-4 appendix D.2.3 / D.2.4; 2^255 - 19). Each part is written
// between its `// ---- generated:` and `// ---- end generated:` marker lines in field.ts; the rest
// of the file is hand-written and left as it is.
//   node filters/auth/scripts/gen-field.mjs           rewrite field.ts
//   node filters/auth/scripts/gen-field.mjs --check   exit 1 if field.ts differs from what this writes
// (filters/auth/test/field-generator.test.ts runs --check in npm test.)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIELD_TS = join(dirname(fileURLToPath(import.meta.url)), "..", "assembly", "crypto", "field.ts");

// ---- products (Guide to ECC section 2.2.2, product scanning) ----------------------------------
const ACC = "c0 += x & 0xffffffff; c1 += x >> 32;";
const loads = (name, ptr, n) => `  const ${Array.from({ length: n }, (_, i) => `${name}${i} = <u64>load<u32>(${ptr}, ${4 * i})`).join(", ")};`;
const storeCarry = (k) => `  store<u32>(t, <u32>c0, ${4 * k}); c0 = (c0 >> 32) + c1; c1 = 0;`;

function mul(n) {
  const out = [`/** t = a * b as ${2 * n} words, ${n}-limb operands (unrolled product scanning). */`, `function mul${n}(t: usize, pa: usize, pb: usize): void {`, loads("a", "pa", n), loads("b", "pb", n), "  let x: u64, c0: u64 = 0, c1: u64 = 0;"];
  for (let k = 0; k <= 2 * n - 2; k++) {
    for (let i = Math.max(0, k - n + 1); i <= Math.min(k, n - 1); i++) out.push(`  x = a${i} * b${k - i}; ${ACC}`);
    out.push(storeCarry(k));
  }
  out.push(`  store<u32>(t, <u32>c0, ${4 * (2 * n - 1)});`, "}");
  return out.join("\n");
}

function sqr(n) {
  const out = [`/** t = a^2 as ${2 * n} words, ${n}-limb operands (unrolled product scanning). */`, `function sqr${n}(t: usize, pa: usize): void {`, loads("a", "pa", n), "  let x: u64, c0: u64 = 0, c1: u64 = 0;"];
  for (let k = 0; k <= 2 * n - 2; k++) {
    const cross = [];
    for (let i = Math.max(0, k - n + 1); i < k - i; i++) cross.push(`    x = a${i} * a${k - i}; o0 += x & 0xffffffff; o1 += x >> 32;`);
    if (cross.length) out.push("  {", "    let o0: u64 = 0, o1: u64 = 0;", ...cross, "    c0 += o0 << 1; c1 += o1 << 1;", "  }");
    if (k % 2 === 0) out.push(`  x = a${k / 2} * a${k / 2}; ${ACC}`);
    out.push(storeCarry(k));
  }
  out.push(`  store<u32>(t, <u32>c0, ${4 * (2 * n - 1)});`, "}");
  return out.join("\n");
}

// ---- reductions -------------------------------------------------------------------------------
// A term lists, from the most significant word down, which product word c_i sits in each result
// word (0 = none), exactly as FIPS 186-4 D.2.3 / D.2.4 print them; `k` is its sign and multiple.
const P256 = {
  n: 8, bits: 256,
  doc: ["/** FIPS 186-4 D.2.3: r = s1 + 2 s2 + 2 s3 + s4 + s5 - d1 - d2 - d3 - d4 mod p, per word (column j", " * collects every c_i the terms place at word j), as signed i64 sums with the carry rippling up. */"],
  terms: [
    [2, [15, 14, 13, 12, 11, 0, 0, 0]], [2, [0, 15, 14, 13, 12, 0, 0, 0]], [1, [15, 14, 0, 0, 0, 10, 9, 8]],
    [1, [8, 13, 15, 14, 13, 11, 10, 9]], [-1, [10, 8, 0, 0, 0, 13, 12, 11]], [-1, [11, 9, 0, 0, 15, 14, 13, 12]],
    [-1, [12, 0, 10, 9, 8, 15, 14, 13]], [-1, [13, 0, 11, 10, 9, 0, 15, 14]],
  ],
  // 2^256 mod p = 2^224 - 2^192 - 2^96 + 1, by word
  fold: { 0: 1, 3: -1, 6: -1, 7: 1 }, foldText: "2^224 - 2^192 - 2^96 + 1",
  p: [0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 0, 1, 0xffffffff],
};
const P384 = {
  n: 12, bits: 384,
  doc: ["/** FIPS 186-4 D.2.4: r = s1 + 2 s2 + s3 + s4 + s5 + s6 + s7 - d1 - d2 - d3 mod p, per word. */"],
  terms: [
    [2, [0, 0, 0, 0, 0, 23, 22, 21, 0, 0, 0, 0]], [1, [23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12]],
    [1, [20, 19, 18, 17, 16, 15, 14, 13, 12, 23, 22, 21]], [1, [19, 18, 17, 16, 15, 14, 13, 12, 20, 0, 23, 0]],
    [1, [0, 0, 0, 0, 23, 22, 21, 20, 0, 0, 0, 0]], [1, [0, 0, 0, 0, 0, 0, 23, 22, 21, 0, 0, 20]],
    [-1, [22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 23]], [-1, [0, 0, 0, 0, 0, 0, 0, 23, 22, 21, 20, 0]],
    [-1, [0, 0, 0, 0, 0, 0, 0, 23, 23, 0, 0, 0]],
  ],
  // 2^384 mod p = 2^128 + 2^96 - 2^32 + 1
  fold: { 0: 1, 1: -1, 3: 1, 4: 1 }, foldText: "2^128 + 2^96 - 2^32 + 1",
  p: [0xffffffff, 0, 0, 0xffffffff, 0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
};
const P25519 = {
  n: 8, bits: 256,
  doc: ["/** p = 2^255 - 19: 2^256 = 38 (mod p), so r = low 8 words + 38 * high 8 words; then bit 255 is", " * folded as 19 (2^255 = 19 mod p), leaving r < 2^255 + 19 < 2p. */"],
  fold: { 0: 38 }, foldText: "38",
  p: [0xffffffed, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff],
};

const hex = (v) => (v <= 1 ? String(v) : `0x${v.toString(16)}`);
const signed = (k, name) => `${k < 0 ? "-" : "+"} ${Math.abs(k) === 1 ? "" : `${Math.abs(k)} * `}${name}`;

/** Column j of the special-form sum: the coefficient of each high product word c_i. */
function columns(f) {
  const cols = Array.from({ length: f.n }, () => new Map());
  for (const [k, words] of f.terms) {
    words.forEach((c, pos) => {
      if (c === 0) return;
      const j = f.n - 1 - pos;
      cols[j].set(c, (cols[j].get(c) ?? 0) + k);
    });
  }
  return cols.map((m) => [...m.entries()].filter(([, k]) => k !== 0).sort((a, b) => a[0] - b[0]));
}

function reduce(name, f) {
  const n = f.n, out = [...f.doc, `function ${name}(pr: usize, t: usize): void {`];
  if (f.terms) {
    out.push(`  const ${Array.from({ length: n }, (_, i) => `c${n + i} = w(t, ${n + i})`).join(", ")};`);
    columns(f).forEach((col, j) => {
      const sum = col.map(([c, k]) => ` ${signed(k, `c${c}`)}`).join("");
      out.push(j === 0 ? `  let acc: i64 = w(t, 0)${sum};` : `  acc = (acc >> 32) + w(t, ${j})${sum};`, `  let r${j} = <u32>acc;`);
    });
  } else {
    out.push("  // (no high-word locals needed)");
    for (let j = 0; j < n; j++) out.push(j === 0 ? `  let acc: i64 = w(t, 0) + 38 * w(t, ${n})};`.replace("};", ";") : `  acc = (acc >> 32) + w(t, ${j}) + 38 * w(t, ${n + j});`, `  let r${j} = <u32>acc;`);
  }
  out.push("  let c = acc >> 32;", `  // fold c * 2^${f.bits} = c * (${f.foldText}); two rounds always suffice`, "  for (let round = 0; round < 3 && c != 0; round++) {");
  for (let j = 0; j < n; j++) {
    const k = f.fold[j];
    const add = k === undefined ? "" : ` ${signed(k, "c")}`;
    out.push(j === 0 ? `    acc = <i64>r0${add};` : `    acc = (acc >> 32) + <i64>r${j}${add};`, `    r${j} = <u32>acc;`);
  }
  out.push("    c = acc >> 32;", "  }");
  if (!f.terms) {
    out.push("  // bit 255: 2^255 = 19 (mod p)", "  c = <i64>(r7 >> 31);", "  r7 &= 0x7fffffff;", "  acc = <i64>r0 + 19 * c;", "  r0 = <u32>acc;");
    for (let j = 1; j < n - 1; j++) out.push(`  acc = (acc >> 32) + <i64>r${j};`, `  r${j} = <u32>acc;`);
    out.push(`  r${n - 1} += <u32>(acc >> 32);`);
  }
  out.push(`  // r < 2^${f.bits} < 2p: subtract p once if r >= p`);
  for (let j = 0; j < n; j++) out.push(j === 0 ? `  let d: i64 = <i64>r0 - ${hex(f.p[0])};` : `  d = (d >> 32) + <i64>r${j} - ${hex(f.p[j])};`, `  const s${j} = <u32>d;`);
  out.push("  if (d >= 0) {", ...Array.from({ length: n }, (_, j) => `    r${j} = s${j};`), "  }");
  for (let j = 0; j < n; j++) out.push(`  store<u32>(pr, r${j}, ${4 * j});`);
  out.push("}");
  return out.join("\n");
}

export const PARTS = {
  products: () => [mul(8), sqr(8), mul(12), sqr(12)].join("\n\n"),
  reductions: () => [reduce("reduce256", P256), reduce("reduce384", P384), reduce("reduce25519", P25519)].join("\n\n"),
};

/** field.ts with every generated part rewritten. */
export function regenerate(text) {
  for (const [name, make] of Object.entries(PARTS)) {
    const begin = `// ---- generated: ${name} (filters/auth/scripts/gen-field.mjs; do not edit by hand) ----\n`;
    const end = `// ---- end generated: ${name} ----\n`;
    const a = text.indexOf(begin), b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error(`field.ts: no "${begin.trim()}" ... "${end.trim()}" markers`);
    text = text.slice(0, a + begin.length) + make() + "\n" + text.slice(b);
  }
  return text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const now = readFileSync(FIELD_TS, "utf8");
  const next = regenerate(now);
  if (process.argv.includes("--check")) {
    if (now !== next) { process.stderr.write("field.ts differs from what gen-field.mjs writes: run node filters/auth/scripts/gen-field.mjs\n"); process.exit(1); }
  } else if (now !== next) writeFileSync(FIELD_TS, next);
}
