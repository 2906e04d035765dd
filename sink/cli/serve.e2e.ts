/**
 * `vigil sink serve` as a user starts it: refuses to start without SINK_TOKENS (one line saying
 * what to set), serves intake and the API with a token, stops on SIGTERM.
 */
import { spawn, spawnSync } from "child_process";
import { join } from "path";
import { finding, tmpDir } from "../test/helpers";

const ROOT = join(__dirname, "../..");
const TSX = join(ROOT, "node_modules/tsx/dist");
const ARGS = ["--require", join(TSX, "preflight.cjs"), "--import", `file://${join(TSX, "loader.mjs")}`, join(ROOT, "sink/cli/main.ts"), "serve"];

test("serve: needs SINK_TOKENS; takes findings with a token; stops on SIGTERM", async () => {
  const store = join(tmpDir(), "serve.sqlite");
  const env = { ...process.env, LOG_LEVEL: "error", SINK_RULES: "", SINK_DATABASE_URL: "" };
  const refused = spawnSync(process.execPath, [...ARGS, "--store", store], { encoding: "utf8", env: { ...env, SINK_TOKENS: "" } });
  expect(refused.status).toBe(2);
  expect(refused.stderr.trim()).toBe("vigil sink: SINK_TOKENS is not set: export SINK_TOKENS=<token>[,<token>...] (clients send Authorization: Bearer <token>)");

  const child = spawn(process.execPath, [...ARGS, "--store", store, "--port", "0"], { env: { ...env, SINK_TOKENS: "tok-one-123456,tok-two-654321" }, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (c: Buffer) => {
      buf += c.toString();
      const m = /listening (\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const post = (token: string) =>
    fetch(`${url}/v1/findings`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(finding({ key: "served" })) });
  expect((await post("wrong-token")).status).toBe(401);
  const ok = await post("tok-two-654321");
  expect(ok.status).toBe(200);
  expect(await ok.json()).toMatchObject({ stored: 1, results: [{ status: "stored", incident: "INC-1" }] });
  const list = (await (await fetch(`${url}/v1/incidents`, { headers: { authorization: "Bearer tok-one-123456" } })).json()) as { incidents: { key: string; owner: string }[] };
  expect(list.incidents.map((i) => [i.key, i.owner])).toEqual([["INC-1", "maker-core"]]);
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
}, 600_000);
