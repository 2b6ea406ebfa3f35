// prompt-guard: scores every text of an LLM request (learned detector + heuristics + rules),
// blocks, flags or logs by threshold per route, moderates answers, and applies the gateway's
// prompt policy (templates, decoration). See ../README.md.
export * from "../../common/sdk/exports";
import { registerRootContext, RootContext } from "../../common/sdk";
import { GuardPlugin } from "./stream";

registerRootContext("", (id: u32): RootContext => new GuardPlugin(id));
