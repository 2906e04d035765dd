/**
 * Channel factories: every kind sink/channels provides (CHANNEL_FACTORIES), plus any a caller
 * adds or replaces (tests, benchmarks).
 */
import { VigilError } from "../../shared/errors";
import { CHANNEL_FACTORIES } from "../channels";
import type { Channel, ChannelFactory, ChannelKind } from "../model/channel";
import type { RulesConfig } from "../config/rules";

export type Factories = Partial<Record<ChannelKind, ChannelFactory>>;

export function defaultFactories(): Factories {
  return { ...CHANNEL_FACTORIES };
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
