/**
 * The devnet storyline is made of scenes. Each bot folder may export scenes from
 * `agents/<bot>/devnet.ts`:
 *
 *   export const scenes: Scene[] = [{ title, expects: ["MAKER-ESM-JOIN"], order: 100, play }];
 *
 * `play(world)` drives the devnet (transactions on the local chains, time, beacon simulation)
 * so that the bot's alerts fire; `expects` lists the alert ids it should trigger, checked at
 * the end of `npm start -- --once` and by the storyline test. A bot's scenes play together, in
 * the order it lists them; bots play in the order of their lowest scene `order` (then by name),
 * each against the world the previous ones left.
 */
import type { DevnetWorld } from "./world";

export interface Scene {
  title: string;
  /** alert ids this scene should make fire */
  expects: readonly string[];
  /** the bot's lowest `order` places its scenes among the other bots' (default 100) */
  order?: number;
  play(world: DevnetWorld): Promise<void>;
}

export interface BotScenes {
  bot: string;
  scenes: Scene[];
}
