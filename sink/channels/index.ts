/**
 * Every channel kind, by name: what sink/config uses to check a rules file's `channels:` entries
 * and what the delivery worker uses to create them.
 *
 *   const problems = CHANNEL_FACTORIES[kind].check(options);   // [] when fine
 *   const channel  = CHANNEL_FACTORIES[kind].create(name, options);
 */
import type { ChannelFactory, ChannelKind } from "./channel";
import { consoleFactory } from "./console";
import { discordFactory } from "./discord";
import { emailFactory } from "./email";
import { fileFactory } from "./file";
import { pagerdutyFactory } from "./pagerduty";
import { slackFactory } from "./slack";
import { telegramFactory } from "./telegram";
import { webhookFactory } from "./webhook";

export const CHANNEL_FACTORIES: Record<ChannelKind, ChannelFactory> = {
  pagerduty: pagerdutyFactory,
  slack: slackFactory,
  discord: discordFactory,
  telegram: telegramFactory,
  email: emailFactory,
  webhook: webhookFactory,
  console: consoleFactory,
  file: fileFactory,
};

export const CHANNEL_KINDS = Object.keys(CHANNEL_FACTORIES) as ChannelKind[];

export function isChannelKind(k: unknown): k is ChannelKind {
  return typeof k === "string" && k in CHANNEL_FACTORIES;
}

export { ChannelError } from "./channel";
export type { Channel, ChannelFactory, ChannelKind } from "./channel";
