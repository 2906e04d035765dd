import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { fileFactory } from ".";
import { sendError } from "../testing/contract";
import { digest, notification } from "../testing/fixtures";

describe("file channel (JSON lines)", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-file-channel-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("appends one JSON object per line, creating the directory", async () => {
    const path = join(dir, "sub", "notifications.jsonl");
    const ch = fileFactory.create("log", { path });
    await ch.send(notification());
    await ch.send(digest(2));
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const [a, b] = lines.slice(0, 2).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ version: 1, id: "ntf-42-opened-slack", event: "opened", incident: { id: "INC-42" } });
    expect(b).toMatchObject({ event: "digest", digest: [expect.anything(), expect.anything()] });
  });

  it("a path that is a directory is a final error", async () => {
    const err = await sendError(fileFactory.create("log", { path: dir }));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/EISDIR/);
  });

  it("checks its options", () => {
    expect(fileFactory.check({ path: "x.jsonl" })).toEqual([]);
    expect(fileFactory.check({})).toEqual([expect.stringMatching(/^path: missing/)]);
  });
});
