/** One PSM as the bot's watchers see it (agent.ts reads it; lite-reserve.ts checks its reserve). */
/** What the bot needs to know about one PSM (immutables, read once). Plain JSON. */
export interface PsmInfo {
  key: string;
  kind: "psm" | "lite";
  /** bytes32 ilk id and its name */
  ilk: string;
  ilkName: string;
  gem: string;
  /** the gem's symbol, for people ("gems" when it has none) */
  symbol: string;
  decimals: number;
  /** who holds the reserve: the GemJoin (classic) or the pocket (lite) */
  reserveHolder: string;
}
