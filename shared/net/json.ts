/** JSON text checks that JSON.parse does not make (the sink's HTTP bodies). */

/**
 * The first key that appears twice in one object of a JSON text (which JSON.parse would resolve
 * silently, keeping the last), as `path.key`; undefined when none. `text` must be valid JSON.
 * Iterative: a body nested deep costs no stack.
 */
export function duplicateKey(text: string): string | undefined {
  const stack: { keys?: Set<string>; path: string; next?: string | number }[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return `${top.path}.${key}`;
        top.keys.add(key);
        top.next = key;
        expectKey = false;
      }
      i = j;
    } else if (c === "{" || c === "[") {
      const top = stack[stack.length - 1];
      const path = top ? (typeof top.next === "number" ? `${top.path}[${top.next}]` : `${top.path}.${top.next}`) : "body";
      stack.push(c === "{" ? { keys: new Set(), path } : { path, next: 0 });
      expectKey = c === "{";
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.next = (top.next as number) + 1;
    }
  }
  return undefined;
}
