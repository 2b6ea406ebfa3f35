// npm start's entry point (start.ts) as a child process, for the tests that check what a user of
// `npm start` sees: the lines it prints (gateway URL, console URL, demos) and its exit code.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export type StartProcess = ChildProcessByStdio<null, Readable, Readable>;

/** `node --import tsx host-test/src/cli/start.ts ...args` in the checkout's root; stdout and stderr piped. */
export function spawnStart(args: string[]): StartProcess {
  return spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "host-test/src/cli/start.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Resolves with everything `child` printed once `ready(stdout so far)` holds. Rejects when it has
 * not within `ms` (`<what> within <s> s: <stdout>`) or when the process exits first.
 */
export function waitForStdout(child: StartProcess, ready: (out: string) => boolean, ms: number, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s:\n${out}`)), ms);
    child.stdout.on("data", (d) => { out += d; if (ready(out)) { clearTimeout(timer); resolve(out); } });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`npm start exited ${code}: ${out}`)); });
  });
}
