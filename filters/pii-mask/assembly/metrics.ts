// Every metric of the filter, in one place (names: aigw.pii_mask.<metric>.<label>.<value>, see
// docs/contract.md). Label values are lowercase entity names or fixed reasons: a bounded set.
import { CounterFamily } from "../../common/sdk";

export class PiiMetrics {
  /** aigw.pii_mask.detections.type.<email>.direction.<request|response> */
  detections: CounterFamily = new CounterFamily("aigw.pii_mask.detections.type.");
  /** aigw.pii_mask.blocked.type.<email> */
  blocked: CounterFamily = new CounterFamily("aigw.pii_mask.blocked.type.");
  /** aigw.pii_mask.restored (tokenize placeholders put back into answers) */
  restored: CounterFamily = new CounterFamily("aigw.pii_mask.restored");
  /** aigw.pii_mask.rejected.reason.<too_large> */
  rejected: CounterFamily = new CounterFamily("aigw.pii_mask.rejected.reason.");
  /** aigw.pii_mask.skipped.reason.<compressed|invalid_json|too_large>.direction.<request|response> */
  skipped: CounterFamily = new CounterFamily("aigw.pii_mask.skipped.reason.");

  detection(entity: string, response: bool, n: i32): void {
    this.detections.inc(entity.toLowerCase() + (response ? ".direction.response" : ".direction.request"), n);
  }
}
