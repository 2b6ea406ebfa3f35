// Test harnesses (small Wasm modules that export one engine's entry points, built by
// scripts/build.mjs into dist/fixtures/) are instantiated without a host: the engines call no
// import on their normal paths, so each import is stubbed (functions return 0).

/** The exports of `wasm` instantiated with every import stubbed, after its `_initialize` (if any). */
export function instantiateHarness<T>(wasm: Uint8Array): T {
  const mod = new WebAssembly.Module(wasm);
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = imp.kind === "function" ? () => 0 : undefined;
  }
  const x = new WebAssembly.Instance(mod, imports as WebAssembly.Imports).exports as unknown as T & { _initialize?: () => void };
  x._initialize?.();
  return x;
}
