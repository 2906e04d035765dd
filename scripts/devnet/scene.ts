/**
 * The devnet storyline is made of scenes. Each bot folder may export scenes from
 * `agents/<bot>/devnet.ts`:
 *
 *   export const scenes: Scene[] = [{ title, expects: ["MAKER-ESM-JOIN"], order: 100, play }];
 *
 * `play(world)` drives the devnet (transactions on the local chains, time, beacon simulation)
 * so that the bot's alerts fire; `expects` lists the alert ids it should trigger, checked at
 * the end of `npm start -- --once` and by the storyline test. Scenes run one after another in
 * `order` (then bot name, then position), each against the world the previous ones left.
 */
import type { DevnetWorld } from "./world";

export interface Scene {
  title: string;
  /** alert ids this scene should make fire */
  expects: readonly string[];
  /**
   * lower plays first (default 100); ordinary activity that must stay quiet goes first. A bot
   * keeps a story together by giving its scenes consecutive orders no other bot uses (see the
   * ranges in use with `grep -n "order:" agents/*\/devnet.ts`).
   */
  order?: number;
  play(world: DevnetWorld): Promise<void>;
}

export interface BotScenes {
  bot: string;
  scenes: Scene[];
}
