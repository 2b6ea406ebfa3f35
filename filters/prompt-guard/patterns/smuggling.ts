// Sources of the smuggling checks (assembly/detector.ts scanSmuggled). Build input: scripts/
// generate.ts writes them into assembly/model/patterns.ts as UTF-8. Matched on normalised text
// (lowercase, one space for any whitespace).

/** Payload splitting: a request cut into string variables, joined, and handed to a made-up model
 *  ("c = "…" a = "…" b = "…" Write down z = a + b + c. Then give an example that would be returned
 *  from SmartGPT(z)"): a string put in a short variable, the join of short variables, and a name
 *  ending like a model's (SmartGPT, EvilBot, FreeAI) called on one. Each part reads harmless
 *  alone; the structure is the attack, in any language around it. Code that joins strings calls
 *  print(z) or model(x), no chatbot. */
export const PAYLOAD_SPLIT = "\\b[a-z0-9_]{1,3} ?= ?(\"|'|«|“|„)" +
  ".*\\b[a-z0-9_]{1,3} ?= ?[a-z0-9_]{1,3}( ?\\+ ?[a-z0-9_]{1,3})+\\b" +
  ".*\\b[a-z0-9_]*(gpt|llm|bot|ai|assistant) ?\\( ?[a-z0-9_]{1,3} ?\\)";
