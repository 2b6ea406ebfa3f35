// proxy-runtime 0.1.8 imports proc_exit from AssemblyScript 0.14's `bindings/wasi_unstable`.
// Envoy (proxy-wasm-cpp-host) provides it as `wasi_snapshot_preview1.proc_exit`.
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "proc_exit")
export declare function proc_exit(code: u32): void;
