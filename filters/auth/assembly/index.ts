// The auth filter: API keys and JWTs in, an identity (filter state + upstream headers) out.
// See ../README.md. This file only registers the plugin.
export * from "../../common/sdk/exports";
import { registerRootContext, RootContext } from "../../common/sdk";
import { AuthPlugin } from "./plugin";

registerRootContext("", (id: u32): RootContext => new AuthPlugin(id));
