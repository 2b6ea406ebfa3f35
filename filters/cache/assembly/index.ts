// cache: answers repeated (and, per route, similar) prompts from the gateway, and reports the
// tokens and money saved. See ../README.md. This file only registers.
export * from "../../common/sdk/exports";
import { registerRootContext, RootContext } from "../../common/sdk";
import { CachePlugin } from "./stream";

registerRootContext("", (id: u32): RootContext => new CachePlugin(id));
