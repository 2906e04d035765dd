/**
 * Channel factories: the channel kinds the channels work provides (sink/channels/index.ts,
 * CHANNEL_FACTORIES), plus any a caller adds (tests). Until that module exists, a minimal console
 * channel keeps the devnet talking.
 */
import { writeSync } from "fs";
import type { Channel, ChannelFactory, ChannelKind } from "../channels/channel";
import type { Notification } from "../model/notification";
import type { RulesConfig } from "../config/rules";
import { VigilError } from "../../shared/errors";

export type Factories = Partial<Record<ChannelKind, ChannelFactory>>;

/** One line per message, on stderr (stdout carries the findings as JSON lines). */
export function consoleLine(n: Notification): string {
  const i = n.incident;
  if (n.event === "digest") return `[sink] digest: ${n.digest?.length ?? 0} low-priority update(s): ${(n.digest ?? []).map((d) => `${d.incident.id} ${d.event}`).join(", ")}`;
  const f = n.findings[0];
  const tx = f?.txHash ? ` tx ${f.txHash}` : "";
  return `[sink] ${i.id} ${n.event.toUpperCase()} ${i.priority} type ${i.type} owner ${i.ownerName ?? i.owner}: ${i.title}${f ? ` (${f.finding.alertId}, block ${f.blockNumber}${tx})` : ""}${n.actor ? ` by ${n.actor}` : ""}`;
}

const FALLBACK_CONSOLE: ChannelFactory = {
  kind: "console",
  secretFields: [],
  check: () => [],
  create: (name): Channel => ({
    name,
    kind: "console",
    async send(n) {
      writeSync(2, consoleLine(n) + "\n");
    },
  }),
};

export function defaultFactories(): Factories {
  let provided: Factories = {};
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    provided = (require("../channels/index") as { CHANNEL_FACTORIES?: Factories }).CHANNEL_FACTORIES ?? {};
  } catch {
    /* the channels module is not there yet */
  }
  return { console: FALLBACK_CONSOLE, ...provided };
}

/** Create the channels the rules file declares. */
export function createChannels(rules: RulesConfig, factories: Factories): Map<string, Channel> {
  const out = new Map<string, Channel>();
  for (const c of rules.channels.values()) {
    const f = factories[c.kind];
    if (!f) throw new VigilError("SINK_CHANNEL", `${rules.file}: channels.${c.name}: channel kind ${c.kind} is not available in this build`);
    out.set(c.name, f.create(c.name, c.options));
  }
  return out;
}
