/**
 * File channel: one JSON line per notification appended to `path` (the webhook's body shape, so
 * a file and a webhook consumer read the same thing). The directory is created if missing.
 * A full disk or an I/O error is retryable; a path that is a directory or not writable is final.
 * Options: `path` (required).
 */
import { appendFile, mkdir } from "fs/promises";
import { dirname, resolve } from "path";
import type { Channel, ChannelFactory } from "../channel";
import { ChannelError } from "../channel";
import { checkOptions, opt, type OptionsSpec } from "../options";
import { buildWebhookBody } from "../webhook/payload";

const SPEC: OptionsSpec = {
  path: { kind: "string", required: true, what: "the JSON-lines file to append to" },
};

const FINAL_CODES = new Set(["EISDIR", "EACCES", "EPERM", "EROFS", "ENOTDIR"]);

export function createFileChannel(name: string, options: Record<string, unknown>): Channel {
  const path = resolve(opt.str(options, "path")!);
  return {
    name,
    kind: "file",
    async send(n) {
      const line = `${JSON.stringify(buildWebhookBody(n))}\n`;
      try {
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, line, "utf8");
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "";
        const final = FINAL_CODES.has(code);
        throw new ChannelError(`file channel "${name}": cannot append to ${path} (${code || (err as Error).message}); ${final ? "fix the path or its permissions" : "will retry"}`, !final);
      }
    },
  };
}

export const fileFactory: ChannelFactory = {
  kind: "file",
  secretFields: [],
  check: (o) => checkOptions(SPEC, o),
  create: createFileChannel,
};
