/**
 * The vocabulary of a channel, shared by config/ (the rules file names channel kinds and checks
 * their options with each kind's factory), routing/ (creates and drives channels) and channels/
 * (implements them). Plain types only: the implementations live in sink/channels.
 */
import type { Notification } from "./notification";

export interface Channel {
  /** the channel's name in the rules file (e.g. "pagerduty-oncall") */
  readonly name: string;
  /** its kind: pagerduty | slack | discord | telegram | email | webhook | console | file */
  readonly kind: ChannelKind;
  /** Deliver one notification. Resolves when the provider accepted it; throws ChannelError otherwise. */
  send(n: Notification): Promise<void>;
  close?(): Promise<void>;
}

export type ChannelKind = "pagerduty" | "slack" | "discord" | "telegram" | "email" | "webhook" | "console" | "file";

/**
 * How a rules file's `channels:` entry becomes a Channel. `options` is the entry minus `kind`,
 * with secret references (`{ env: NAME }`) already resolved to strings by sink/config.
 * `check` returns one problem per bad field ("field: what is wrong, what to do"), [] when fine;
 * `create` is only called after `check` returned [].
 */
export interface ChannelFactory {
  kind: ChannelKind;
  /** fields that must be secret references (never inline in the file) */
  secretFields: readonly string[];
  check(options: Record<string, unknown>): string[];
  create(name: string, options: Record<string, unknown>): Channel;
}
