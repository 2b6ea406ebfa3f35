// Shared test helpers: fixture paths and the fixture's command-config builder.
import { fileURLToPath } from "node:url";
import { loadPlugin, type PluginOptions } from "../src/index.ts";

export const fixture = (name: string) => fileURLToPath(new URL(`../../dist/fixtures/${name}.wasm`, import.meta.url));

/** Loads the command-driven `abi` fixture (host-test/fixtures/abi/core.ts) with one command per line. */
export function abiPlugin(commands: string[], opts: PluginOptions = {}, name = "abi") {
  return loadPlugin(fixture(name), { logLevel: "trace", ...opts, config: commands.join("\n") });
}

/** The fixture logs `<op> ... r=<code>`; returns the info lines starting with `prefix`. */
export const lines = (logs: string[], prefix: string) => logs.filter((l) => l.startsWith(prefix));
