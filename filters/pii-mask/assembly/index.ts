// pii-mask: finds personal data and secrets in LLM requests and answers and redacts, masks,
// hashes, tokenizes (and restores) or blocks them. See ../README.md.
export * from "../../common/sdk/exports";
import { registerRootContext, RootContext } from "../../common/sdk";
import { PiiPlugin } from "./stream";

registerRootContext("", (id: u32): RootContext => new PiiPlugin(id));
