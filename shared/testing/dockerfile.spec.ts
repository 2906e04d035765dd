/**
 * The Dockerfile follower does what Docker would with the instructions our images use, and
 * refuses what it cannot follow (so the image tests cannot silently test something else).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildImage, commandOf, parseDockerfile } from "./dockerfile";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vigil-dockerfile-"));
  mkdirSync(join(dir, "ctx", "dist"), { recursive: true });
  writeFileSync(join(dir, "ctx", "dist", "a.js"), "a");
  writeFileSync(join(dir, "ctx", "README.md"), "r");
  writeFileSync(join(dir, "ctx", "secret.txt"), "not copied");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const build = (text: string) => {
  writeFileSync(join(dir, "ctx", "Dockerfile"), text);
  return buildImage({ context: join(dir, "ctx"), outDir: join(dir, "out"), cacheDir: join(dir, "cache") });
};

it("joins continuation lines and drops comments", () => {
  expect(parseDockerfile("# c\nFROM x AS y\nLABEL a=1 \\\n  b=2\n").map((i) => `${i.op} ${i.args}`)).toEqual(["FROM x AS y", "LABEL a=1 b=2"]);
});

it("copies only what COPY names, across stages, with ARG defaults, ENV, USER, LABEL, EXPOSE and CMD", () => {
  const image = build(`ARG BASE=node:20-alpine
FROM \${BASE} AS first
WORKDIR /src
COPY dist ./dist
FROM \${BASE}
ARG NAME="bot"
LABEL org.opencontainers.image.title="vigil-\${NAME}"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=first /src/dist ./lib
COPY README.md ./
USER node
EXPOSE 50051
CMD ["node", "lib/a.js"]
`);
  expect(image.stages.map((s) => s.from)).toEqual(["node:20-alpine", "node:20-alpine"]);
  expect(readFileSync(join(image.root, "app", "lib", "a.js"), "utf8")).toBe("a");
  expect(readFileSync(join(image.root, "app", "README.md"), "utf8")).toBe("r");
  expect(existsSync(join(image.root, "app", "secret.txt"))).toBe(false);
  expect(image).toMatchObject({ user: "node", exposed: [50051], env: { NODE_ENV: "production" }, labels: { "org.opencontainers.image.title": "vigil-bot" } });
  expect(commandOf(image)).toMatchObject({ file: process.execPath, args: ["lib/a.js"], cwd: join(image.root, "app") });
});

it("refuses instructions it cannot follow, sources outside the context and missing files", () => {
  expect(() => build("FROM node:20-alpine\nRUN apk add curl\n")).toThrow(/line 2: RUN apk add curl: only "npm ci/);
  expect(() => build("FROM node:20-alpine\nADD x /\n")).toThrow(/ADD is not supported/);
  expect(() => build("FROM node:20-alpine\nCOPY ../etc /x\n")).toThrow(/outside the build context/);
  expect(() => build("FROM node:20-alpine\nCOPY nope.txt /x\n")).toThrow(/COPY nope.txt: not found/);
  expect(() => build("FROM node:20-alpine\nCMD node a.js\n")).toThrow(/exec form/);
});
