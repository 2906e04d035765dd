/**
 * Validates HTTP responses and SSE events against the official Beacon Node API OpenAPI spec
 * copied in `./beacon-apis` (see README.md beside this file).
 *
 * The spec is OpenAPI 3.1 spread over many YAML files that `$ref` each other with relative
 * paths ("../../../beacon-node-oapi.yaml#/components/schemas/Uint64"). We load files on demand,
 * inline every `$ref` into one self-contained JSON Schema per (route, method, status) and compile
 * it with Ajv's 2020-12 dialect (what OpenAPI 3.1 schemas are).
 *
 * SSE events have no schema in the spec, only an example per topic in
 * `apis/eventstream/index.yaml`; an event is checked against a schema derived from that
 * example: the same keys are required and each value has the example's kind (a decimal integer
 * string, a 0x root, a boolean...).
 */
import { readFileSync } from "fs";
import * as path from "path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "../../shared/runtime/bundled";

export const SPEC_DIR = path.join(REPO_ROOT, "test", "openapi", "beacon-apis");
const ROOT_FILE = "beacon-node-oapi.yaml";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Routes whose `data` is anyOf the forks' types: the component checked for the declared version. */
const VERSIONED: Record<string, string> = {
  "/eth/v2/beacon/blocks/{block_id}": "SignedBeaconBlock",
};

/** OpenAPI keywords that are documentation only; dropped before compiling. */
const DOC_ONLY = new Set(["example", "examples", "description", "title", "externalDocs", "deprecated", "xml"]);

export interface RouteMatch {
  /** the spec's path template, e.g. /eth/v1/beacon/headers/{block_id} */
  template: string;
  params: Record<string, string>;
}

export class SchemaViolation extends Error {}

export class BeaconApiSpec {
  private readonly files = new Map<string, Json>();
  private readonly inlined = new Map<string, Json>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv2020;
  private readonly routes: { template: string; regex: RegExp; names: string[] }[];
  private readonly eventSchemas: Map<string, ValidateFunction>;

  constructor(readonly dir: string = SPEC_DIR) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    // The spec's only format; its patterns already say the rest.
    this.ajv.addFormat("hex", /^0x[0-9a-fA-F]*$/);
    const root = this.file(ROOT_FILE) as JsonObject;
    const paths = root.paths as JsonObject;
    this.routes = Object.keys(paths).map((template) => {
      const names: string[] = [];
      const regex = new RegExp(
        "^" +
          template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => {
            names.push(name);
            return "([^/]+)";
          }) +
          "$",
      );
      return { template, regex, names };
    });
    this.eventSchemas = this.buildEventSchemas();
  }

  /** The spec route serving `urlPath` (no query string), or undefined. */
  match(urlPath: string): RouteMatch | undefined {
    for (const r of this.routes) {
      const m = r.regex.exec(urlPath);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { template: r.template, params };
    }
    return undefined;
  }

  /**
   * Problems with a response, as readable lines; empty when it conforms. `body` is the parsed
   * JSON body, or undefined when the response has none.
   */
  validateResponse(method: string, urlPath: string, status: number, contentType: string | undefined, body: unknown): string[] {
    const route = this.match(urlPath);
    if (!route) return [`${method} ${urlPath}: no such route in the Beacon API spec`];
    const op = this.operation(route.template, method.toLowerCase());
    if (!op) return [`${method} ${route.template}: method not in the spec`];
    const responses = (op.node.responses ?? {}) as JsonObject;
    const where = `${method} ${urlPath} -> ${status}`;
    const raw = responses[String(status)] ?? responses.default;
    if (raw === undefined) return [`${where}: status ${status} is not declared for ${route.template}`];
    const declared = this.resolveNode(raw, op.file);
    const content = (declared.node as JsonObject).content as JsonObject | undefined;
    if (!content) {
      return body === undefined ? [] : [`${where}: the spec declares no body for this status, yet one was sent`];
    }
    const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    const media = content[mediaType] as JsonObject | undefined;
    if (!media) return [`${where}: content type ${JSON.stringify(mediaType)} not declared (spec has ${Object.keys(content).join(", ")})`];
    if (!media.schema) return [];
    const key = `${route.template}|${method.toLowerCase()}|${status}|${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(this.inline(media.schema, declared.file) as object);
      this.compiled.set(key, validate);
    }
    const problems = validate(body) ? [] : (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || "(body)"} ${e.message ?? "is invalid"}`);
    return [...problems, ...this.validateVersioned(route.template, status, body, where)];
  }

  /**
   * Versioned answers (`{version, data}`) declare `data` as anyOf every fork's type, which a
   * phase0-shaped object satisfies; check `data` against the type of the declared version too.
   */
  private validateVersioned(template: string, status: number, body: unknown, where: string): string[] {
    const component = VERSIONED[template];
    if (!component || status !== 200 || !body || typeof body !== "object") return [];
    const version = (body as { version?: unknown }).version;
    if (typeof version !== "string") return [];
    const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}.${component}`;
    const key = `component|${name}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schemas = ((this.file(ROOT_FILE) as JsonObject).components as JsonObject).schemas as JsonObject;
      if (!(name in schemas)) return [`${where}: version ${version} has no ${component} type in the spec`];
      validate = this.ajv.compile(this.inline({ $ref: `#/components/schemas/${name}` }, ROOT_FILE) as object);
      this.compiled.set(key, validate);
    }
    if (validate((body as { data?: unknown }).data)) return [];
    return (validate.errors ?? []).map((e) => `${where}: /data${e.instancePath} ${e.message ?? "is invalid"} (as ${name})`);
  }

  /** Throws a SchemaViolation listing every problem. */
  assertResponse(method: string, urlPath: string, status: number, contentType: string | undefined, body: unknown): void {
    const problems = this.validateResponse(method, urlPath, status, contentType, body);
    if (problems.length) throw new SchemaViolation(problems.join("\n"));
  }

  /** Topics that have an example in the spec's event stream description. */
  eventTopics(): string[] {
    return [...this.eventSchemas.keys()];
  }

  /** Problems with an SSE event's data (parsed JSON), judged by the spec's example for the topic. */
  validateEvent(topic: string, data: unknown): string[] {
    const v = this.eventSchemas.get(topic);
    if (!v) return [`event ${topic}: topic not in the spec`];
    if (v(data)) return [];
    return (v.errors ?? []).map((e) => `event ${topic}: ${e.instancePath || "(data)"} ${e.message ?? "is invalid"}`);
  }

  // --- loading and $ref inlining ---------------------------------------------------------

  private operation(template: string, method: string): { node: JsonObject; file: string } | undefined {
    const root = this.file(ROOT_FILE) as JsonObject;
    const item = this.resolveNode((root.paths as JsonObject)[template]!, ROOT_FILE);
    const op = (item.node as JsonObject)[method] as JsonObject | undefined;
    return op ? { node: op, file: item.file } : undefined;
  }

  private file(rel: string): Json {
    const norm = path.posix.normalize(rel);
    let doc = this.files.get(norm);
    if (doc === undefined) {
      doc = parseYaml(readFileSync(path.join(this.dir, norm), "utf8")) as Json;
      this.files.set(norm, doc);
    }
    return doc;
  }

  /** Follow `$ref`s at the top of a node (not inside it); returns the node and the file it is in. */
  private resolveNode(node: Json, file: string): { node: Json; file: string } {
    let cur = { node, file };
    for (let hops = 0; isObject(cur.node) && typeof cur.node.$ref === "string"; hops++) {
      if (hops > 50) throw new Error(`$ref chain too long at ${cur.file}`);
      cur = this.locate(cur.node.$ref as string, cur.file);
    }
    return cur;
  }

  private locate(ref: string, fromFile: string): { node: Json; file: string } {
    const [filePart, pointer = ""] = ref.split("#");
    const file = filePart ? path.posix.join(path.posix.dirname(fromFile), filePart) : fromFile;
    let node = this.file(file);
    for (const raw of pointer.split("/").filter(Boolean)) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (!node || typeof node !== "object" || Array.isArray(node) || !(key in node)) {
        throw new Error(`unresolvable $ref ${ref} from ${fromFile}`);
      }
      node = (node as JsonObject)[key]!;
    }
    return { node, file: path.posix.normalize(file) };
  }

  /** A copy of `node` with every `$ref` replaced by its target (recursively) and doc keywords dropped. */
  private inline(node: Json, file: string, stack: string[] = []): Json {
    if (Array.isArray(node)) return node.map((n) => this.inline(n, file, stack));
    if (!node || typeof node !== "object") return node;
    if (typeof node.$ref === "string") {
      const target = this.locate(node.$ref, file);
      const id = `${target.file}#${node.$ref.split("#")[1] ?? ""}`;
      if (stack.includes(id)) throw new Error(`cyclic $ref ${id}`);
      let out = this.inlined.get(id);
      if (out === undefined) {
        out = this.inline(target.node, target.file, [...stack, id]);
        this.inlined.set(id, out);
      }
      // Sibling keywords beside a $ref (OpenAPI 3.1 allows them) apply too.
      const siblings = Object.keys(node).filter((k) => k !== "$ref" && !DOC_ONLY.has(k));
      if (siblings.length === 0) return out;
      const extra: JsonObject = {};
      for (const k of siblings) extra[k] = this.inline(node[k]!, file, stack);
      return { allOf: [out, extra] };
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (DOC_ONLY.has(k)) continue;
      // `properties` maps names to schemas: a property may be called "description" or "title".
      if (k === "properties" && v && typeof v === "object" && !Array.isArray(v)) {
        const props: JsonObject = {};
        for (const [pk, pv] of Object.entries(v)) props[pk] = this.inline(pv, file, stack);
        out[k] = props;
      } else {
        out[k] = this.inline(v, file, stack);
      }
    }
    return out;
  }

  private buildEventSchemas(): Map<string, ValidateFunction> {
    const doc = this.file("apis/eventstream/index.yaml") as JsonObject;
    const examples = ((((doc.get as JsonObject).responses as JsonObject)["200"] as JsonObject).content as JsonObject)[
      "text/event-stream"
    ] as JsonObject;
    const out = new Map<string, ValidateFunction>();
    for (const [topic, ex] of Object.entries(examples.examples as JsonObject)) {
      const text = (ex as JsonObject).value as string;
      const dataLine = text.split("\n").find((l) => l.startsWith("data:"));
      if (!dataLine) continue;
      const example = JSON.parse(dataLine.slice(5)) as Json;
      out.set(topic, this.ajv.compile(schemaFromExample(example) as object));
    }
    return out;
  }
}

function isObject(v: Json): v is JsonObject {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** A JSON Schema requiring the example's shape: same keys, same kinds of values. */
export function schemaFromExample(example: Json): Json {
  if (Array.isArray(example)) return { type: "array", items: example.length ? schemaFromExample(example[0]!) : {} };
  if (example === null) return { type: "null" };
  switch (typeof example) {
    case "boolean":
      return { type: "boolean" };
    case "number":
      return { type: "number" };
    case "string":
      if (/^\d+$/.test(example)) return { type: "string", pattern: "^(0|[1-9][0-9]*)$" };
      if (/^0x[0-9a-fA-F]{64}$/.test(example)) return { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" };
      if (/^0x[0-9a-fA-F]*$/.test(example)) return { type: "string", pattern: "^0x[0-9a-fA-F]*$" };
      return { type: "string" };
    default: {
      const obj = example as JsonObject;
      const properties: JsonObject = {};
      for (const [k, v] of Object.entries(obj)) properties[k] = schemaFromExample(v);
      return { type: "object", required: Object.keys(obj), properties };
    }
  }
}

let shared: BeaconApiSpec | undefined;
/** One loaded spec per process (loading and compiling takes a moment). */
export function beaconApiSpec(): BeaconApiSpec {
  shared ??= new BeaconApiSpec();
  return shared;
}
