/** The process environment's one shared step: `.env` loading, for every command (scripts and the sink). */
import { config as loadDotenv } from "dotenv";

/** Load `.env` (if any) into process.env without overriding what the shell set. */
export function loadEnv(): void {
  loadDotenv({ quiet: true } as Parameters<typeof loadDotenv>[0]);
}
