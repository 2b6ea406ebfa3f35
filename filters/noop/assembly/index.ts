// The no-op filter: a plugin that registers and passes every stream through untouched.
// It is the floor every filter's cost is measured against (npm run bench) and a minimal example
// of a filter entry point.
export * from "../../common/sdk/exports";
import { registerRootContext, RootContext } from "../../common/sdk";

registerRootContext("", (id: u32): RootContext => new RootContext(id));
