/** A test bot that cannot start: its initialize always throws (exit codes, init-failure findings). */
import type { Agent } from "../../../../../shared/bot";

export function createAgent(): Agent {
  return {
    async initialize() {
      throw new Error("deliberate: this bot never initializes");
    },
    async handleBlock() {
      return [];
    },
  };
}
