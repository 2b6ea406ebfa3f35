// as-pect runs the pure-logic AssemblyScript unit tests (no proxy-wasm host involved).
// Specs live beside the code they test: filters/<name>/assembly/__tests__/*.spec.ts.
export default {
  entries: ["filters/*/assembly/__tests__/**/*.spec.ts"],
  include: ["filters/*/assembly/__tests__/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
