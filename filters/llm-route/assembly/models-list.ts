// GET /v1/models answered by the gateway: the names a client may ask for (each provider's
// configured models and the aliases without wildcards), in OpenAI's list shape.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { JsonWriter } from "../../common/assembly/llm/writer";
import { RouteConfig } from "./model";

export function modelsList(cfg: RouteConfig): Uint8Array {
  const out = new ByteBuilder(256);
  const w = new JsonWriter(out);
  const seen = new Set<string>();
  w.beginObject().kstr("object", "list").key("data").beginArray();
  for (let i = 0; i < cfg.aliases.length; i++) {
    const a = cfg.aliases[i];
    if (a.wildcard || seen.has(a.name)) continue;
    seen.add(a.name);
    w.beginObject().kstr("id", a.name).kstr("object", "model").kint("created", 0).kstr("owned_by", "gateway").endObject();
  }
  for (let i = 0; i < cfg.providers.length; i++) {
    const p = cfg.providers[i];
    for (let j = 0; j < p.models.length; j++) {
      const m = p.models[j].name;
      if (seen.has(m)) continue;
      seen.add(m);
      w.beginObject().kstr("id", m).kstr("object", "model").kint("created", 0).kstr("owned_by", p.name).endObject();
    }
  }
  w.endArray().endObject();
  return out.toBytes();
}
