/**
 * PagerDuty channel: Events API v2. Options: `routingKey` (secret: the integration key),
 * `url` (default https://events.pagerduty.com/v2/enqueue; the change-events URL is derived),
 * `source`, `dedupPrefix`, `timeoutMs`.
 */
import { type Channel, type ChannelFactory } from "../channel";
import { postForChannel, registerSecrets } from "../http";
import { checkOptions, opt, secretFieldsOf, type OptionsSpec } from "../options";
import type { Notification } from "../../model/notification";
import { buildPagerDutyMessage } from "./payload";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

const SPEC: OptionsSpec = {
  routingKey: { kind: "string", required: true, secret: true, what: "the PagerDuty integration (routing) key of the service's Events API v2 integration" },
  url: { kind: "url", what: "the Events API v2 enqueue URL (default https://events.pagerduty.com/v2/enqueue)" },
  source: { kind: "string", what: "the source shown when a finding names none" },
  dedupPrefix: { kind: "string", what: "prefix of every dedup_key (default vigil)" },
  timeoutMs: { kind: "number", min: 100, max: 120_000, what: "the request timeout in ms" },
};

/** The change-events URL next to an enqueue URL: .../v2/enqueue -> .../v2/change/enqueue */
export function changeUrlOf(enqueueUrl: string): string {
  const u = new URL(enqueueUrl);
  u.pathname = u.pathname.replace(/\/enqueue\/?$/, "/change/enqueue");
  return u.toString();
}

export function createPagerDutyChannel(name: string, options: Record<string, unknown>): Channel {
  const routingKey = opt.str(options, "routingKey")!;
  const url = opt.str(options, "url") ?? PAGERDUTY_EVENTS_URL;
  const changeUrl = changeUrlOf(url);
  registerSecrets([routingKey]);
  return {
    name,
    kind: "pagerduty",
    async send(n: Notification) {
      const msg = buildPagerDutyMessage(n, { routingKey, source: opt.str(options, "source"), dedupPrefix: opt.str(options, "dedupPrefix") });
      // 202 {"status":"success","dedup_key":...}; 400 invalid event (final); 429 throttled
      await postForChannel({
        channel: name,
        kind: "pagerduty",
        url: msg.endpoint === "change" ? changeUrl : url,
        body: JSON.stringify(msg.body),
        secrets: [routingKey],
        timeoutMs: opt.num(options, "timeoutMs"),
      });
    },
  };
}

export const pagerdutyFactory: ChannelFactory = {
  kind: "pagerduty",
  secretFields: secretFieldsOf(SPEC),
  check: (o) => {
    const problems = checkOptions(SPEC, o);
    const key = o.routingKey;
    if (typeof key === "string" && key !== "" && !/^[A-Za-z0-9]{20,64}$/.test(key)) {
      problems.push("routingKey: does not look like an Events API v2 integration key (32 letters and digits); copy it from the service's integration page");
    }
    return problems;
  },
  create: createPagerDutyChannel,
};
