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
    pattern = asciiLower(pattern);
    s = asciiLower(s);
  }
  return match(pattern, 0, s, 0, 0, { skipLonger: false });
}

/** C `tolower` in the C locale: only A-Z change (JS toLowerCase would also fold Latin-1). */
function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

// Nesting guard like Redis's: patterns with many stars can't blow the stack or run forever.
const MAX_NESTING = 1000;

/** Bytes compare as C's signed `char` in class ranges, as Redis's matcher does. */
function signedByte(code: number): number {
  return (code << 24) >> 24;
}

/**
 * Redis's `stringmatchlen`: the main loop runs while both pattern and string remain, so an
 * empty string only matches an empty pattern. `skipLonger` is Redis's guard against
 * exponential backtracking: once the rest of a pattern after `*` failed against every
 * suffix, no earlier `*` can make it match by consuming more.
 */
function match(
  p: string,
  pi: number,
  s: string,
  si: number,
  nesting: number,
  state: { skipLonger: boolean },
): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    switch (p[pi]) {
      case "*": {
        while (pi + 1 < plen && p[pi + 1] === "*") pi++;
        if (pi + 1 === plen) return true;
        while (si < slen) {
          if (match(p, pi + 1, s, si, nesting + 1, state)) return true;
          if (state.skipLonger) return false;
          si++;
        }
        state.skipLonger = true;
        return false;
      }
      case "?":
        si++;
        break;
      case "[": {
        pi++;
        const not = p[pi] === "^";
        if (not) pi++;
        let matched = false;
        const ch = s.charCodeAt(si);
        for (;;) {
          if (p[pi] === "\\" && plen - pi >= 2) {
            pi++;
            if (p.charCodeAt(pi) === ch) matched = true;
          } else if (p[pi] === "]") {
            break;
          } else if (pi >= plen) {
            pi--; // unterminated class: the end of the pattern closes it
            break;
          } else if (plen - pi >= 3 && p[pi + 1] === "-") {
            let start = signedByte(p.charCodeAt(pi));
            let end = signedByte(p.charCodeAt(pi + 2));
            if (start > end) [start, end] = [end, start];
            pi += 2;
            const c = signedByte(ch);
            if (c >= start && c <= end) matched = true;
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
        if (plen - pi >= 2) pi++;
        if (p[pi] !== s[si]) return false;
        si++;
        break;
      default:
        if (p[pi] !== s[si]) return false;
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
