/**
 * The dashboard next to an in-process sink (`npm start`, the devnet): a second, non-delivering
 * Sink on the same store (reads and commands; the in-process sink's worker delivers what commands
 * queue) behind the sink's HTTP server, on 127.0.0.1 unless told otherwise.
 *
 *   VIGIL_DASHBOARD_HOST   address to listen on (default 127.0.0.1)
 *   VIGIL_DASHBOARD_PORT   port (default 8787; another free port when that one is taken; 0: any)
 *   VIGIL_DASHBOARD=off    no dashboard
 *   SINK_TOKENS            tokens that allow actions; when unset, a one-time token is written to
 *                          .vigil/dashboard-token (readable by you only) and its path is logged
 */
import { randomBytes } from "crypto";
import { chmodSync, mkdirSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { VigilError } from "../../shared/errors";
import type { Logger } from "../../shared/log";
import { openSink, sinkHttp, type Sink } from "../../sink/main";
import { tokensFromEnv } from "../../sink/http/server";

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

export async function startDashboard(o: { store: string; rules?: string; log: Logger; env?: NodeJS.ProcessEnv; tokenFile?: string }): Promise<RunningDashboard | undefined> {
  const env = o.env ?? process.env;
  if (/^(off|false|0|no)$/i.test(env.VIGIL_DASHBOARD ?? "")) return undefined;
  const host = env.VIGIL_DASHBOARD_HOST || "127.0.0.1";
  const portText = env.VIGIL_DASHBOARD_PORT ?? "8787";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new VigilError("BAD_CONFIG", `VIGIL_DASHBOARD_PORT=${JSON.stringify(portText)} is not a port: use 0-65535 (0: any free port)`);
  let tokens = tokensFromEnv(env);
  let tokenNote = "actions need one of SINK_TOKENS";
  if (!tokens.length) {
    const file = o.tokenFile ?? join(".vigil", "dashboard-token");
    const token = randomBytes(18).toString("base64url");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, token + "\n", { mode: 0o600 });
    chmodSync(file, 0o600);
    tokens = [token];
    tokenNote = `actions need the token in ${file} (set SINK_TOKENS to choose your own)`;
  }
  const sink: Sink = await openSink({ store: o.store, rules: o.rules, log: o.log, env, deliver: false });
  let http = sinkHttp(sink, { tokens, host, port });
  let url: string;
  try {
    url = (await http.listen()).url;
  } catch (err) {
    if ((err as { code?: string }).code !== "EADDRINUSE" || port === 0) {
      await sink.close();
      throw new VigilError("DASHBOARD_LISTEN", `the dashboard cannot listen on ${host}:${port}: ${(err as Error).message}; set VIGIL_DASHBOARD_PORT (0: any free port) or VIGIL_DASHBOARD=off`);
    }
    http = sinkHttp(sink, { tokens, host, port: 0 });
    url = (await http.listen()).url;
    o.log.warn({ port }, `port ${port} is taken: the dashboard listens on another`);
  }
  o.log.info({ dashboard: `${url}/` }, `dashboard: ${url}/ (${tokenNote})`);
  return {
    url,
    close: async () => {
      await http.close();
      await sink.close();
    },
  };
}
