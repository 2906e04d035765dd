/**
 * Checking a channel's options (the rules file's `channels:` entry minus `kind`): one problem per
 * bad field, phrased "field: what is wrong; what to do". Unknown fields are refused, so a typo
 * never silently drops a setting.
 */

export type FieldKind = "string" | "url" | "number" | "boolean" | "string[]";

export interface FieldSpec {
  kind: FieldKind;
  required?: boolean;
  /** what the field is for, used in messages */
  what: string;
  /** allowed values for a string */
  oneOf?: readonly string[];
  min?: number;
  max?: number;
  /** a secret: must come from the environment (`{ env: NAME }`), so it arrives resolved */
  secret?: boolean;
}

export type OptionsSpec = Record<string, FieldSpec>;

function isUrl(v: string, httpsOnly = false): boolean {
  try {
    const u = new URL(v);
    return httpsOnly ? u.protocol === "https:" : u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

export function checkOptions(spec: OptionsSpec, options: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (!(key in spec)) problems.push(`${key}: unknown option; allowed: ${Object.keys(spec).join(", ")}`);
  }
  for (const [key, f] of Object.entries(spec)) {
    const v = options[key];
    if (v === undefined || v === null || v === "") {
      if (f.required) problems.push(`${key}: missing; set ${f.what}${f.secret ? ` as a secret reference ({ env: NAME })` : ""}`);
      continue;
    }
    switch (f.kind) {
      case "string":
      case "url":
        if (typeof v !== "string") {
          problems.push(`${key}: must be a string (${f.what}), got ${typeof v}`);
        } else if (f.kind === "url" && !isUrl(v)) {
          // never echo the value: a URL field may be a secret webhook URL
          problems.push(`${key}: not an http(s) URL; set ${f.what}`);
        } else if (f.oneOf && !f.oneOf.includes(v)) {
          problems.push(`${key}: must be one of ${f.oneOf.join(", ")}, got ${JSON.stringify(v)}`);
        }
        break;
      case "number":
        if (typeof v !== "number" || !Number.isFinite(v)) problems.push(`${key}: must be a number (${f.what})`);
        else if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) {
          problems.push(`${key}: ${v} is out of range; use ${f.min ?? "-∞"}..${f.max ?? "∞"}`);
        }
        break;
      case "boolean":
        if (typeof v !== "boolean") problems.push(`${key}: must be true or false (${f.what})`);
        break;
      case "string[]": {
        const arr = typeof v === "string" ? [v] : v;
        if (!Array.isArray(arr) || arr.length === 0 || arr.some((x) => typeof x !== "string" || x === "")) {
          problems.push(`${key}: must be a non-empty list of strings (${f.what})`);
        }
        break;
      }
    }
  }
  return problems;
}

export function secretFieldsOf(spec: OptionsSpec): string[] {
  return Object.entries(spec)
    .filter(([, f]) => f.secret)
    .map(([k]) => k);
}

/** Typed accessors for options already checked. */
export const opt = {
  str: (o: Record<string, unknown>, k: string): string | undefined => (typeof o[k] === "string" && o[k] !== "" ? (o[k] as string) : undefined),
  num: (o: Record<string, unknown>, k: string): number | undefined => (typeof o[k] === "number" ? (o[k] as number) : undefined),
  bool: (o: Record<string, unknown>, k: string): boolean | undefined => (typeof o[k] === "boolean" ? (o[k] as boolean) : undefined),
  list: (o: Record<string, unknown>, k: string): string[] | undefined => {
    const v = o[k];
    if (typeof v === "string") return [v];
    return Array.isArray(v) ? (v as string[]) : undefined;
  },
};
