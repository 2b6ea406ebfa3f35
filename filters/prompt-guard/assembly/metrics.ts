// Every metric of the filter, in one place (names aigw.prompt_guard.<metric>.<label>.<value>, see
// docs/metrics.md). Label values come from bounded sets: actions, detector reasons, roles, score
// buckets, and configured rule/route/template names ([a-z0-9_], checked at configure time).
import { CounterFamily } from "../../common/sdk";
import { messageText, MSG_METRIC_ANSWERS_FIRST, MSG_METRIC_DETECTIONS_FIRST, MSG_METRIC_MODERATION_FIRST, MSG_METRIC_PREFIX_FIRST, MSG_METRIC_REJECTED_FIRST, MSG_METRIC_REQUESTS_FIRST, MSG_METRIC_RULE_HITS_FIRST, MSG_METRIC_SCORE_FIRST, MSG_METRIC_SKIPPED_FIRST, MSG_METRIC_TEMPLATE_FIRST } from "./model/patterns";

/** Upper bounds of the score buckets, as label values (non-cumulative: 0_1 counts scores in [0, 0.1)). */
const BUCKETS: StaticArray<string> = ["0_1", "0_2", "0_3", "0_4", "0_5", "0_6", "0_7", "0_8", "0_9", "1_0"];

export function scoreBucket(score: f64): string {
  let k = <i32>Math.floor(score * 10);
  if (k < 0) k = 0;
  if (k > 9) k = 9;
  return BUCKETS[k];
}

/** The families' common prefix; names are UTF-8 messages (patterns/messages.ts), not UTF-16 literals. */
const PREFIX = messageText(MSG_METRIC_PREFIX_FIRST);

export class GuardMetrics {
  /** aigw.prompt_guard.requests.action.<pass|log|flag|block> */
  requests: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_REQUESTS_FIRST));
  /** aigw.prompt_guard.score.bucket.<0_1..1_0>: the request's highest detector score */
  score: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_SCORE_FIRST));
  /** aigw.prompt_guard.detections.reason.<reason>.role.<role>: requests flagged/blocked/logged by the detector */
  detections: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_DETECTIONS_FIRST));
  /** aigw.prompt_guard.rule_hits.rule.<name>.direction.<request|response> */
  ruleHits: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_RULE_HITS_FIRST));
  /** aigw.prompt_guard.rejected.reason.<reason>: 400/413/503 refusals that are not a score */
  rejected: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_REJECTED_FIRST));
  /** aigw.prompt_guard.answers.action.<pass|log|flag|block> */
  answers: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_ANSWERS_FIRST));
  /** aigw.prompt_guard.moderation.result.<ok|flagged|failed> */
  moderation: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_MODERATION_FIRST));
  /** aigw.prompt_guard.template.name.<template>.version.<version> */
  template: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_TEMPLATE_FIRST));
  /** aigw.prompt_guard.skipped.reason.<oversize|not_json> */
  skipped: CounterFamily = new CounterFamily(PREFIX + messageText(MSG_METRIC_SKIPPED_FIRST));
}
