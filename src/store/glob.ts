/**
 * Glob matching with Redis's `stringmatchlen` rules, used by KEYS, SCAN MATCH, CONFIG GET,
 * COMMAND LIST and pub/sub patterns: `*`, `?`, `[abc]`, `[^a]`, `[a-z]` (either order),
 * `\x` escapes. Works on binary strings.
 *
 * @module
 */

/** Whether `s` matches glob `pattern` (binary strings). */
export function globMatch(pattern: string, s: string, nocase = false): boolean {
  if (nocase) {
    pattern = pattern.toLowerCase();
    s = s.toLowerCase();
  }
  return match(pattern, 0, s, 0, 0);
}

// Nesting guard like Redis's: patterns with many stars can't blow the stack or run forever.
const MAX_NESTING = 1000;

function match(p: string, pi: number, s: string, si: number, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const c = p[pi]!;
    switch (c) {
      case "*": {
        while (pi + 1 < plen && p[pi + 1] === "*") pi++;
        if (pi + 1 === plen) return true;
        for (let k = si; k <= slen; k++) {
          if (match(p, pi + 1, s, k, nesting + 1)) return true;
        }
        return false;
      }
      case "?":
        if (si >= slen) return false;
        si++;
        break;
      case "[": {
        if (si >= slen) return false;
        pi++;
        const not = p[pi] === "^";
        if (not) pi++;
        let matched = false;
        const ch = s.charCodeAt(si);
        for (;;) {
          if (pi >= plen) {
            pi--; // unterminated class: Redis treats the end as closing it
            break;
          }
          const pc = p[pi]!;
          if (pc === "\\" && pi + 1 < plen) {
            pi++;
            if (p.charCodeAt(pi) === ch) matched = true;
          } else if (pc === "]") {
            break;
          } else if (pi + 2 < plen && p[pi + 1] === "-") {
            let start = p.charCodeAt(pi);
            let end = p.charCodeAt(pi + 2);
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (ch >= start && ch <= end) matched = true;
          } else if (p.charCodeAt(pi) === ch) {
            matched = true;
          }
          pi++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        si++;
        break;
      }
      case "\\":
        if (pi + 1 < plen) pi++;
        if (si >= slen || p[pi] !== s[si]) return false;
        si++;
        break;
      default:
        if (si >= slen || c !== s[si]) return false;
        si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === "*") pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}
