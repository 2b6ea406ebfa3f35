// npm start's console options: --console-port taken is an error naming the way out, --no-console
// leaves the second line out, --console-port picks the port.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { spawnStart } from "../../start-process.ts";

/** Runs start.ts until it printed `lines` lines (then stops it) or exited; bounded by 60 s. */
function start(args: string[], lines: number): Promise<{ out: string[]; err: string; code: number | null }> {
  const child = spawnStart(args);
  let out = "", err = "";
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d) => { out += d; if (out.split("\n").length > lines) child.kill("SIGTERM"); });
    child.stderr.on("data", (d) => { err += d; });
    child.once("exit", (code) => { clearTimeout(timer); resolve({ out: out.split("\n"), err, code }); });
  });
}

test("--console-port: the console there; taken: exit 1 saying what to do; --no-console: no second URL", async () => {
  const busy = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => busy.once("listening", r));
  const port = (busy.address() as AddressInfo).port;
  try {
    const taken = await start(["--port", "0", "--console-port", String(port)], 99);
    assert.equal(taken.code, 1);
    assert.match(taken.err, new RegExp(`console port ${port} is in use \\(try --console-port 0\\)`));
  } finally {
    busy.close();
  }
  const chosen = await start(["--port", "0", "--console-port", String(port)], 2);
  assert.match(chosen.out[0], /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(chosen.out[1].split(" ")[1], `http://127.0.0.1:${port}/`);
  const none = await start(["--port", "0", "--no-console"], 2);
  assert.match(none.out[0], /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(none.out[1], "");
  const bad = await start(["--console-port", "x"], 99);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--console-port needs a number/);
});
