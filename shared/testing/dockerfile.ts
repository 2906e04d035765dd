/**
 * A Dockerfile "builder" for machines without a Docker engine (tests, CI here): it follows the
 * Dockerfile's instructions over a build context into plain folders, one per stage, so a test
 * can start the image's CMD from the final stage's files, exactly as the Dockerfile copies them.
 *
 * Supported: ARG (with defaults), FROM <image> [AS name], WORKDIR, COPY [--from=stage] src...
 * dest, RUN npm ci ... (the only RUN our images use: run offline from the npm cache; when the
 * cache lacks a tarball, the packages the lockfile names are taken from the monorepo's
 * node_modules, same paths and versions), ENV, LABEL, USER, EXPOSE, CMD (exec form). Anything
 * else is refused, so a Dockerfile change the tests cannot follow is noticed at once.
 *
 * Files are hard-linked, not copied (the images are read, never written); RUN results are
 * cached by their inputs like Docker's layer cache, so 13 bots sharing one deps layer install
 * it once, and a stage refers to a cached layer's node_modules by a symbolic link (copied as
 * such by COPY --from) instead of thousands of links.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync } from "fs";
import { dirname, join, posix, resolve } from "path";
import { VigilError } from "../errors";

export interface Instruction {
  op: string;
  args: string;
  line: number;
}

export class DockerfileError extends VigilError<"DOCKERFILE"> {
  constructor(line: number, problem: string) {
    super("DOCKERFILE", `Dockerfile line ${line}: ${problem}`);
  }
}

/** Instructions of a Dockerfile: comments dropped, continuation lines joined. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let l = lines[i]!;
    if (/^\s*(#|$)/.test(l)) continue;
    while (l.endsWith("\\") && i + 1 < lines.length) l = l.slice(0, -1).trimEnd() + " " + lines[++i]!.trim();
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(l);
    if (!m) throw new DockerfileError(start + 1, `cannot read ${JSON.stringify(l)}`);
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  return out;
}

export interface Stage {
  name?: string;
  from: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
}

export interface BuiltImage {
  /** every stage, in order; the last is the image */
  stages: Stage[];
  /** the final stage's filesystem root and working directory */
  root: string;
  workdir: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  user?: string;
  exposed: number[];
  cmd: string[];
  /** the instructions followed, with their lines */
  instructions: Instruction[];
}

export interface BuildOptions {
  context: string;
  /** where the stages' folders go (emptied) */
  outDir: string;
  /** layer cache for RUN results, shared between builds */
  cacheDir: string;
  /** where `npm ci` may take packages the npm cache lacks (the monorepo's node_modules) */
  fallbackNodeModules?: string;
  dockerfile?: string;
}

function splitWords(s: string): string[] {
  return s.match(/(?:[^\s"]+|"[^"]*")+/g)?.map((w) => w.replace(/^"(.*)"$/, "$1")) ?? [];
}

/** Hard-link `src` (file or folder) to `dest`, like a copy that costs no space. */
export function linkTree(src: string, dest: string): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) {
    mkdirSync(dirname(dest), { recursive: true });
    symlinkSync(readlinkSync(src), dest);
  } else if (st.isDirectory()) {
    mkdirSync(dest, { recursive: true });
    for (const e of readdirSync(src)) linkTree(join(src, e), join(dest, e));
  } else {
    mkdirSync(dirname(dest), { recursive: true });
    rmSync(dest, { force: true });
    try {
      linkSync(src, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      copyFileSync(src, dest); // another filesystem: a real copy
    }
  }
}

function hashTree(path: string, h = createHash("sha256"), rel = ""): ReturnType<typeof createHash> {
  if (!existsSync(path)) return h;
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const e of readdirSync(path).sort()) {
      if (e === "node_modules") continue;
      hashTree(join(path, e), h, `${rel}/${e}`);
    }
  } else {
    h.update(rel).update("\0").update(readFileSync(path)).update("\0");
  }
  return h;
}

function substitute(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? "");
}

/** `npm ci` in `cwd` from its package-lock.json: offline from the npm cache, else from `fallback`'s packages. */
function npmCi(args: string[], cwd: string, fallback: string | undefined, line: number): void {
  const r = spawnSync("npm", [...args, "--offline"], { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  if (r.status === 0) return;
  if (!fallback || !/ENOTCACHED/.test(`${r.stderr}${r.stdout}`)) throw new DockerfileError(line, `npm ${args.join(" ")} failed:\n${r.stderr || r.stdout}`);
  // the cache lacks a tarball: lay out exactly the lockfile's packages from the monorepo's node_modules
  rmSync(join(cwd, "node_modules"), { recursive: true, force: true });
  const lock = JSON.parse(readFileSync(join(cwd, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; dev?: boolean }> };
  for (const [at, p] of Object.entries(lock.packages)) {
    if (!at || p.dev) continue;
    const src = join(fallback, "..", at);
    if (!existsSync(src)) throw new DockerfileError(line, `npm ci: ${at} is in the lockfile but neither in the npm cache nor in ${fallback}`);
    const installed = JSON.parse(readFileSync(join(src, "package.json"), "utf8")) as { version: string };
    if (installed.version !== p.version) throw new DockerfileError(line, `npm ci: ${at} is ${installed.version} in ${fallback}, the lockfile says ${p.version}`);
    for (const e of readdirSync(src)) if (e !== "node_modules") linkTree(join(src, e), join(cwd, at, e));
  }
}

/** Follow the Dockerfile over the context; returns the final stage as an image. */
export function buildImage(o: BuildOptions): BuiltImage {
  const instructions = parseDockerfile(readFileSync(o.dockerfile ?? join(o.context, "Dockerfile"), "utf8"));
  rmSync(o.outDir, { recursive: true, force: true });
  mkdirSync(o.outDir, { recursive: true });
  mkdirSync(o.cacheDir, { recursive: true });
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  let args: Record<string, string> = {};
  const labels: Record<string, string> = {};
  let user: string | undefined;
  const exposed: number[] = [];
  let cmd: string[] = [];
  const inRoot = (s: Stage, p: string) => join(s.root, posix.isAbsolute(p) ? p : posix.join(s.workdir, p));

  for (const ins of instructions) {
    const cur = stages[stages.length - 1];
    const vars = { ...globalArgs, ...args, ...(cur?.env ?? {}) };
    const text = substitute(ins.args, vars);
    if (ins.op !== "FROM" && ins.op !== "ARG" && !cur) throw new DockerfileError(ins.line, `${ins.op} before FROM`);
    switch (ins.op) {
      case "ARG": {
        const m = /^(\w+)(?:=(.*))?$/.exec(ins.args);
        if (!m) throw new DockerfileError(ins.line, `bad ARG ${ins.args}`);
        const value = m[2] !== undefined ? substitute(m[2], vars).replace(/^"(.*)"$/, "$1") : (globalArgs[m[1]!] ?? "");
        if (cur) args[m[1]!] = value;
        else globalArgs[m[1]!] = value;
        break;
      }
      case "FROM": {
        const [image, as, name] = splitWords(text);
        if (!image || (as && as.toUpperCase() !== "AS")) throw new DockerfileError(ins.line, `bad FROM ${text}`);
        const root = join(o.outDir, `stage-${stages.length}`);
        mkdirSync(root, { recursive: true });
        stages.push({ ...(name ? { name } : {}), from: image, root, workdir: "/", env: {} });
        args = {};
        user = undefined;
        cmd = [];
        exposed.length = 0;
        for (const k of Object.keys(labels)) delete labels[k];
        break;
      }
      case "WORKDIR":
        cur!.workdir = posix.resolve(cur!.workdir, text);
        mkdirSync(join(cur!.root, cur!.workdir), { recursive: true });
        break;
      case "COPY": {
        const words = splitWords(text);
        let from: Stage | undefined;
        while (words[0]?.startsWith("--")) {
          const flag = words.shift()!;
          const m = /^--from=(.+)$/.exec(flag);
          if (!m) throw new DockerfileError(ins.line, `COPY flag ${flag} is not supported here`);
          from = stages.find((s) => s.name === m[1]) ?? stages[Number(m[1])];
          if (!from) throw new DockerfileError(ins.line, `COPY --from=${m[1]}: no such stage`);
        }
        const dest = words.pop();
        if (!dest || words.length === 0) throw new DockerfileError(ins.line, `COPY needs sources and a destination`);
        const toDir = dest.endsWith("/") || words.length > 1;
        for (const src of words) {
          const path = from ? join(from.root, posix.resolve(from.workdir, src)) : resolve(o.context, src);
          if (!from && !path.startsWith(resolve(o.context))) throw new DockerfileError(ins.line, `COPY ${src} reaches outside the build context`);
          if (!existsSync(path)) throw new DockerfileError(ins.line, `COPY ${src}: not found in ${from ? `stage ${from.name ?? "?"}` : "the build context"}`);
          const isDir = statSync(path).isDirectory();
          const target = inRoot(cur!, dest);
          linkTree(path, isDir || !toDir ? target : join(target, posix.basename(src)));
        }
        break;
      }
      case "RUN": {
        const words = splitWords(text.split("&&")[0]!.trim());
        if (words[0] !== "npm" || words[1] !== "ci" || text.includes("&&")) throw new DockerfileError(ins.line, `RUN ${text}: only "npm ci ..." can be followed without Docker`);
        const cwd = join(cur!.root, cur!.workdir);
        const key = createHash("sha256").update(text).update(hashTree(cwd).digest("hex")).digest("hex").slice(0, 24);
        const cached = join(o.cacheDir, key);
        if (!existsSync(cached)) {
          const tmp = `${cached}.tmp-${process.pid}-${Date.now()}`;
          linkTree(cwd, tmp);
          npmCi(words.slice(1), tmp, o.fallbackNodeModules, ins.line);
          rmSync(cached, { recursive: true, force: true });
          renameSync(tmp, cached);
        }
        // the layer is read-only, like Docker's: the stage points at it (COPY --from keeps the link)
        rmSync(join(cwd, "node_modules"), { recursive: true, force: true });
        symlinkSync(join(cached, "node_modules"), join(cwd, "node_modules"), "dir");
        break;
      }
      case "ENV": {
        const m = /^(\w+)[= ](.*)$/.exec(text);
        if (!m) throw new DockerfileError(ins.line, `bad ENV ${text}`);
        cur!.env[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1");
        break;
      }
      case "LABEL":
        for (const m of text.matchAll(/([\w.-]+)=("[^"]*"|\S+)/g)) labels[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1");
        break;
      case "USER":
        user = text;
        break;
      case "EXPOSE":
        exposed.push(...text.split(/\s+/).map((p) => Number(p.replace(/\/tcp$/, ""))));
        break;
      case "CMD":
        try {
          cmd = JSON.parse(text) as string[];
        } catch {
          throw new DockerfileError(ins.line, `CMD must be in exec form (a JSON list), got ${text}`);
        }
        break;
      default:
        throw new DockerfileError(ins.line, `${ins.op} is not supported by the test builder`);
    }
  }
  const last = stages[stages.length - 1];
  if (!last) throw new DockerfileError(1, "no FROM");
  return { stages, root: last.root, workdir: last.workdir, env: last.env, labels: { ...labels }, ...(user ? { user } : {}), exposed: [...exposed], cmd, instructions };
}

/** The image's CMD as a command to spawn here: `node` is this Node, paths stay relative to the workdir. */
export function commandOf(image: BuiltImage): { file: string; args: string[]; cwd: string; env: Record<string, string> } {
  const [file, ...args] = image.cmd;
  if (!file) throw new VigilError("DOCKERFILE", "the image has no CMD");
  return { file: file === "node" ? process.execPath : file, args, cwd: join(image.root, image.workdir), env: image.env };
}
