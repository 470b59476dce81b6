/**
 * Lua 5.1 lexer and parser producing an AST with resolved variable scopes.
 * Error messages follow Lua 5.1's `llex.c` / `lparser.c` wording exactly.
 *
 * @module
 */

import { cpow, LuaError, str2number } from "./value.ts";

/** A local variable declaration. */
export interface LocalDecl {
  /** Lua name. */
  name: string;
  /** Unique JS identifier. */
  js: string;
  /** Function nesting depth where declared. */
  fdepth: number;
}

/** Expression nodes. */
export type Expr =
  | { k: "nil" }
  | { k: "true" }
  | { k: "false" }
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "vararg" }
  | { k: "func"; f: FuncNode }
  | { k: "table"; items: TableItem[]; line: number }
  | { k: "bin"; op: string; a: Expr; b: Expr; line: number }
  | { k: "un"; op: string; a: Expr; line: number }
  | { k: "local"; decl: LocalDecl; upval: boolean }
  | { k: "global"; name: string; line: number }
  | { k: "index"; obj: Expr; key: Expr; line: number }
  | { k: "call"; fn: Expr; args: Expr[]; line: number }
  | { k: "method"; obj: Expr; name: string; args: Expr[]; line: number }
  | { k: "paren"; e: Expr };

/** Table constructor item. */
export type TableItem = { k: "pos"; v: Expr } | { k: "kv"; key: Expr; v: Expr };

/** Statement nodes. */
export type Stat =
  | { k: "local"; decls: LocalDecl[]; exprs: Expr[]; line: number }
  | { k: "assign"; targets: Expr[]; exprs: Expr[]; line: number }
  | { k: "callstat"; call: Expr; line: number }
  | { k: "do"; body: Stat[] }
  | { k: "while"; cond: Expr; body: Stat[]; line: number }
  | { k: "repeat"; body: Stat[]; cond: Expr; line: number }
  | { k: "if"; conds: Expr[]; blocks: Stat[][]; els: Stat[] | undefined; line: number }
  | {
    k: "fornum";
    v: LocalDecl;
    start: Expr;
    limit: Expr;
    step: Expr | undefined;
    body: Stat[];
    line: number;
  }
  | { k: "forin"; vars: LocalDecl[]; exprs: Expr[]; body: Stat[]; line: number }
  | { k: "localfunc"; decl: LocalDecl; f: FuncNode; line: number }
  | { k: "return"; exprs: Expr[]; line: number }
  | { k: "break"; line: number };

/** A function prototype. */
export interface FuncNode {
  /** Parameters. */
  params: LocalDecl[];
  /** Whether `...` is accepted. */
  vararg: boolean;
  /** Body statements. */
  body: Stat[];
  /** Line where it was defined. */
  line: number;
  /** Name for messages/tracebacks. */
  name: string;
  /** Nesting depth (main chunk is 0). */
  depth: number;
}

const RESERVED = new Set([
  "and",
  "break",
  "do",
  "else",
  "elseif",
  "end",
  "false",
  "for",
  "function",
  "if",
  "in",
  "local",
  "nil",
  "not",
  "or",
  "repeat",
  "return",
  "then",
  "true",
  "until",
  "while",
]);

/** Formats a chunk name as Lua 5.1's `luaO_chunkid` (LUA_IDSIZE 80 as in Debian's build). */
export function chunkId(source: string): string {
  const IDSIZE = 80;
  if (source.startsWith("=")) return source.slice(1, IDSIZE);
  if (source.startsWith("@")) {
    const s = source.slice(1);
    const max = IDSIZE - 1;
    if (s.length <= max) return s;
    return "..." + s.slice(s.length - (max - 3));
  }
  let len = 0;
  while (len < source.length && source[len] !== "\n" && source[len] !== "\r") len++;
  const bufflen = IDSIZE - 17;
  if (len > bufflen) len = bufflen;
  if (len < source.length) return `[string "${source.slice(0, len)}..."]`;
  return `[string "${source}"]`;
}

// Token kinds: single chars are themselves; multi-char tokens use these names.
const T_EOS = "<eof>";
const T_NAME = "<name>";
const T_STRING = "<string>";
const T_NUMBER = "<number>";

interface Token {
  t: string; // kind
  v: string; // semantic string (name / string contents)
  n: number; // number value
  raw: string; // text for error messages
  line: number;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
function isAlpha(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
function isAlnum(c: string): boolean {
  return isAlpha(c) || isDigit(c);
}

class Lexer {
  src: string;
  pos = 0;
  line = 1;
  chunk: string;
  tok!: Token;
  ahead: Token | undefined = undefined;
  lastLine = 1;

  constructor(src: string, chunk: string) {
    this.src = src;
    this.chunk = chunk;
    // Skip a first line starting with '#' (shebang), like luaL_loadfile.
    if (src.startsWith("#")) {
      while (this.pos < src.length && src[this.pos] !== "\n") this.pos++;
    }
  }

  error(msg: string, near: string | undefined, line = this.line): never {
    const n = near === undefined ? "" : ` near '${near}'`;
    throw new LuaError(`${this.chunk}:${line}: ${msg}${n}`);
  }

  cur(): string {
    return this.src[this.pos] ?? "";
  }

  newline(): void {
    const c = this.cur();
    this.pos++;
    const d = this.cur();
    if ((d === "\n" || d === "\r") && d !== c) this.pos++;
    this.line++;
  }

  /** Reads a long bracket level at pos ('[' or ']' expected); returns level or -1 - count. */
  sepLevel(): number {
    const s = this.cur();
    let count = 0;
    this.pos++;
    while (this.cur() === "=") {
      this.pos++;
      count++;
    }
    return this.cur() === s ? count : -count - 1;
  }

  longString(sep: number, isComment: boolean, _startRaw: string): string {
    this.pos++; // skip second '['
    if (this.cur() === "\n" || this.cur() === "\r") this.newline();
    let out = "";
    for (;;) {
      const c = this.cur();
      if (c === "") {
        this.error(
          isComment ? "unfinished long comment" : "unfinished long string",
          T_EOS,
        );
      } else if (c === "[") {
        const save = this.pos;
        const l = this.sepLevel();
        if (l === sep && sep === 0) {
          this.error("nesting of [[...]] is deprecated", "[");
        }
        out += this.src.slice(save, this.pos);
      } else if (c === "]") {
        const save = this.pos;
        const l = this.sepLevel();
        if (l === sep) {
          this.pos++;
          return out;
        }
        out += this.src.slice(save, this.pos);
      } else if (c === "\n" || c === "\r") {
        out += "\n";
        this.newline();
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  readString(del: string): Token {
    const line = this.line;
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.cur();
      if (c === del) break;
      if (c === "") this.error("unfinished string", T_EOS);
      if (c === "\n" || c === "\r") {
        this.error("unfinished string", this.src.slice(start, this.pos));
      }
      if (c === "\\") {
        this.pos++;
        const e = this.cur();
        switch (e) {
          case "a":
            out += "\x07";
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "v":
            out += "\v";
            break;
          case "\n":
          case "\r":
            out += "\n";
            this.newline();
            continue;
          case "":
            continue; // will raise unfinished string
          default: {
            if (!isDigit(e)) {
              out += e;
              break;
            }
            let n = 0, i = 0;
            do {
              n = n * 10 + (this.cur().charCodeAt(0) - 48);
              this.pos++;
              i++;
            } while (i < 3 && isDigit(this.cur()));
            if (n > 255) this.error("escape sequence too large", this.src.slice(start, start + 1));
            out += String.fromCharCode(n);
            continue;
          }
        }
        this.pos++;
        continue;
      }
      out += c;
      this.pos++;
    }
    this.pos++;
    return { t: T_STRING, v: out, n: 0, raw: this.src.slice(start, this.pos), line };
  }

  scan(): Token {
    for (;;) {
      const c = this.cur();
      const line = this.line;
      const tk = (t: string, len: number): Token => {
        this.pos += len;
        return { t, v: "", n: 0, raw: t, line };
      };
      switch (c) {
        case "":
          return { t: T_EOS, v: "", n: 0, raw: T_EOS, line };
        case "\n":
        case "\r":
          this.newline();
          continue;
        case " ":
        case "\t":
        case "\f":
        case "\v":
          this.pos++;
          continue;
        case "-": {
          if (this.src[this.pos + 1] !== "-") return tk("-", 1);
          this.pos += 2;
          if (this.cur() === "[") {
            const save = this.pos;
            const sep = this.sepLevel();
            if (sep >= 0) {
              this.longString(sep, true, "");
              continue;
            }
            this.pos = save;
          }
          while (this.pos < this.src.length && this.cur() !== "\n" && this.cur() !== "\r") {
            this.pos++;
          }
          continue;
        }
        case "[": {
          const start = this.pos;
          const sep = this.sepLevel();
          if (sep >= 0) {
            const s = this.longString(sep, false, "");
            return { t: T_STRING, v: s, n: 0, raw: this.src.slice(start, this.pos), line };
          }
          if (sep === -1) {
            return { t: "[", v: "", n: 0, raw: "[", line };
          }
          this.error("invalid long string delimiter", this.src.slice(start, this.pos));
          break;
        }
        case "=":
          return this.src[this.pos + 1] === "=" ? tk("==", 2) : tk("=", 1);
        case "<":
          return this.src[this.pos + 1] === "=" ? tk("<=", 2) : tk("<", 1);
        case ">":
          return this.src[this.pos + 1] === "=" ? tk(">=", 2) : tk(">", 1);
        case "~":
          return this.src[this.pos + 1] === "=" ? tk("~=", 2) : tk("~", 1);
        case '"':
        case "'":
          return this.readString(c);
        case ".": {
          if (this.src[this.pos + 1] === ".") {
            return this.src[this.pos + 2] === "." ? tk("...", 3) : tk("..", 2);
          }
          if (!isDigit(this.src[this.pos + 1] ?? "")) return tk(".", 1);
          return this.readNumber();
        }
        default: {
          if (isDigit(c)) return this.readNumber();
          if (isAlpha(c)) {
            const start = this.pos;
            while (isAlnum(this.cur())) this.pos++;
            const w = this.src.slice(start, this.pos);
            if (RESERVED.has(w)) return { t: w, v: w, n: 0, raw: w, line };
            return { t: T_NAME, v: w, n: 0, raw: w, line };
          }
          const code = c.charCodeAt(0);
          this.pos++;
          const raw = code < 32 ? `char(${code})` : c;
          return { t: c, v: c, n: 0, raw, line };
        }
      }
    }
  }

  readNumber(): Token {
    const start = this.pos;
    const line = this.line;
    while (isDigit(this.cur()) || this.cur() === ".") this.pos++;
    if (this.cur() === "e" || this.cur() === "E") {
      this.pos++;
      if (this.cur() === "+" || this.cur() === "-") this.pos++;
    }
    while (isAlnum(this.cur())) this.pos++;
    const raw = this.src.slice(start, this.pos);
    const n = str2number(raw);
    if (n === undefined) this.error("malformed number", raw);
    return { t: T_NUMBER, v: raw, n, raw, line };
  }

  next(): void {
    this.lastLine = this.tok ? this.tok.line : 1;
    if (this.ahead) {
      this.tok = this.ahead;
      this.ahead = undefined;
    } else {
      this.tok = this.scan();
    }
  }

  peek(): Token {
    if (!this.ahead) this.ahead = this.scan();
    return this.ahead;
  }
}

interface FuncState {
  depth: number;
  vararg: boolean;
  blocks: LocalDecl[][];
  loops: number;
}

const BINPRI: Record<string, [number, number]> = {
  "+": [6, 6],
  "-": [6, 6],
  "*": [7, 7],
  "/": [7, 7],
  "%": [7, 7],
  "^": [10, 9],
  "..": [5, 4],
  "==": [3, 3],
  "~=": [3, 3],
  "<": [3, 3],
  "<=": [3, 3],
  ">": [3, 3],
  ">=": [3, 3],
  "and": [2, 2],
  "or": [1, 1],
};
const UNARY_PRI = 8;

let uniq = 0;

/** Constant folding of numeric literals, with Lua 5.1's rules (`lcode.c` constfolding). */
function foldBin(op: string, a: Expr, b: Expr): Expr | undefined {
  if (op === "and" || op === "or") {
    // `K and e` is just e for a true constant K (lcode.c emits no test), `nil or e` is e...
    const truthy = a.k === "num" || a.k === "str" || a.k === "true";
    const falsy = a.k === "nil" || a.k === "false";
    if (op === "and") return truthy ? b : falsy ? a : undefined;
    return falsy ? b : truthy ? a : undefined;
  }
  if (a.k !== "num" || b.k !== "num") return undefined;
  const x = a.v, y = b.v;
  let r: number;
  switch (op) {
    case "+":
      r = x + y;
      break;
    case "-":
      r = x - y;
      break;
    case "*":
      r = x * y;
      break;
    case "/":
      if (y === 0) return undefined;
      r = x / y;
      break;
    case "%":
      if (y === 0) return undefined;
      r = x - Math.floor(x / y) * y;
      break;
    case "^":
      r = cpow(x, y);
      break;
    default:
      return undefined;
  }
  if (r !== r) return undefined;
  return { k: "num", v: r };
}

/** Parses a chunk. `chunk` is the display name used in messages. */
export function parse(src: string, chunk: string): FuncNode {
  const lx = new Lexer(src, chunk);
  let fs: FuncState = { depth: 0, vararg: true, blocks: [[]], loops: 0 };

  const errNear = (msg: string): never => {
    const t = lx.tok;
    const near = t.t === T_EOS ? T_EOS : t.raw;
    return lx.error(msg, near, t.line);
  };
  const tokName = (t: string): string => t;
  const expected = (t: string): never => errNear(`'${tokName(t)}' expected`);
  const check = (t: string) => {
    if (lx.tok.t !== t) expected(t);
  };
  const checkNext = (t: string) => {
    check(t);
    lx.next();
  };
  const testNext = (t: string): boolean => {
    if (lx.tok.t === t) {
      lx.next();
      return true;
    }
    return false;
  };
  const checkMatch = (what: string, who: string, line: number) => {
    if (!testNext(what)) {
      if (line === lx.tok.line) expected(what);
      else errNear(`'${what}' expected (to close '${who}' at line ${line})`);
    }
  };
  const strName = (): string => {
    check(T_NAME);
    const v = lx.tok.v;
    lx.next();
    return v;
  };
  const declare = (name: string): LocalDecl => {
    const safe = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : "v";
    return { name, js: `L_${safe}_${++uniq}`, fdepth: fs.depth };
  };
  const activate = (d: LocalDecl) => {
    fs.blocks[fs.blocks.length - 1]!.push(d);
  };
  const resolve = (name: string, line: number): Expr => {
    // Walk all function states: we keep a chain via closure stack.
    for (let s = fsStack.length - 1; s >= 0; s--) {
      const f = fsStack[s]!;
      for (let b = f.blocks.length - 1; b >= 0; b--) {
        const blk = f.blocks[b]!;
        for (let i = blk.length - 1; i >= 0; i--) {
          if (blk[i]!.name === name) {
            return { k: "local", decl: blk[i]!, upval: f !== fs };
          }
        }
      }
    }
    return { k: "global", name, line };
  };
  const fsStack: FuncState[] = [fs];
  let level = 0;

  const blockFollow = (): boolean => {
    switch (lx.tok.t) {
      case "else":
      case "elseif":
      case "end":
      case "until":
      case T_EOS:
        return true;
    }
    return false;
  };

  const block = (): Stat[] => {
    fs.blocks.push([]);
    const b = chunkBody();
    fs.blocks.pop();
    return b;
  };

  const chunkBody = (): Stat[] => {
    // Like lparser.c, blocks and subexpressions share the "syntax levels" limit.
    if (++level > 200) lx.error("chunk has too many syntax levels", undefined);
    const out: Stat[] = [];
    let last = false;
    while (!last && !blockFollow()) {
      const r = statement(out);
      last = r;
      testNext(";");
    }
    level--;
    return out;
  };

  const funcBody = (needSelf: boolean, line: number, name: string): FuncNode => {
    const nfs: FuncState = { depth: fs.depth + 1, vararg: false, blocks: [[]], loops: 0 };
    const prev = fs;
    fs = nfs;
    fsStack.push(nfs);
    const params: LocalDecl[] = [];
    if (needSelf) {
      const d = declare("self");
      params.push(d);
    }
    checkNext("(");
    if (lx.tok.t !== ")") {
      do {
        if (lx.tok.t === T_NAME) {
          params.push(declare(strName()));
        } else if (lx.tok.t === "...") {
          lx.next();
          nfs.vararg = true;
        } else errNear("<name> or '...' expected");
      } while (!nfs.vararg && testNext(","));
    }
    for (const p of params) activate(p);
    checkNext(")");
    const body = chunkBody();
    checkMatch("end", "function", line);
    fsStack.pop();
    fs = prev;
    return { params, vararg: nfs.vararg, body, line, name, depth: nfs.depth };
  };

  const exprList = (): Expr[] => {
    const l = [expr()];
    while (testNext(",")) l.push(expr());
    return l;
  };

  const callArgs = (): Expr[] => {
    const t = lx.tok;
    if (t.t === T_STRING) {
      lx.next();
      return [{ k: "str", v: t.v }];
    }
    if (t.t === "{") return [tableCons()];
    if (t.t === "(") {
      const line = t.line;
      if (line !== lx.lastLine) errNear("ambiguous syntax (function call x new statement)");
      lx.next();
      const args = lx.tok.t === ")" ? [] : exprList();
      checkMatch(")", "(", line);
      return args;
    }
    return errNear("function arguments expected");
  };

  const primaryExp = (): Expr => {
    const t = lx.tok;
    if (t.t === T_NAME) {
      lx.next();
      return resolve(t.v, t.line);
    }
    if (t.t === "(") {
      const line = t.line;
      lx.next();
      const e = expr();
      checkMatch(")", "(", line);
      // A parenthesized numeral is still a numeral for constant folding (as in lcode.c).
      return e.k === "num" ? e : { k: "paren", e };
    }
    return errNear("unexpected symbol");
  };

  const suffixedExp = (): Expr => {
    let e = primaryExp();
    for (;;) {
      const t = lx.tok;
      switch (t.t) {
        case ".": {
          lx.next();
          const name = strName();
          e = { k: "index", obj: e, key: { k: "str", v: name }, line: t.line };
          break;
        }
        case "[": {
          lx.next();
          const key = expr();
          checkNext("]");
          e = { k: "index", obj: e, key, line: t.line };
          break;
        }
        case ":": {
          lx.next();
          const name = strName();
          const line = lx.tok.line;
          const args = callArgs();
          e = { k: "method", obj: e, name, args, line };
          break;
        }
        case "(":
        case T_STRING:
        case "{": {
          const line = t.line;
          const args = callArgs();
          e = { k: "call", fn: e, args, line };
          break;
        }
        default:
          return e;
      }
    }
  };

  const tableCons = (): Expr => {
    const line = lx.tok.line;
    checkNext("{");
    const items: TableItem[] = [];
    while (lx.tok.t !== "}") {
      if (lx.tok.t === T_NAME && lx.peek().t === "=") {
        const key: Expr = { k: "str", v: strName() };
        checkNext("=");
        items.push({ k: "kv", key, v: expr() });
      } else if (lx.tok.t === "[") {
        lx.next();
        const key = expr();
        checkNext("]");
        checkNext("=");
        items.push({ k: "kv", key, v: expr() });
      } else {
        items.push({ k: "pos", v: expr() });
      }
      if (!testNext(",") && !testNext(";")) break;
    }
    checkMatch("}", "{", line);
    return { k: "table", items, line };
  };

  const simpleExp = (): Expr => {
    const t = lx.tok;
    switch (t.t) {
      case T_NUMBER:
        lx.next();
        return { k: "num", v: t.n };
      case T_STRING:
        lx.next();
        return { k: "str", v: t.v };
      case "nil":
        lx.next();
        return { k: "nil" };
      case "true":
        lx.next();
        return { k: "true" };
      case "false":
        lx.next();
        return { k: "false" };
      case "...": {
        if (!fs.vararg) errNear("cannot use '...' outside a vararg function");
        lx.next();
        return { k: "vararg" };
      }
      case "{":
        return tableCons();
      case "function": {
        lx.next();
        return { k: "func", f: funcBody(false, t.line, "anonymous") };
      }
      default:
        return suffixedExp();
    }
  };

  const subExpr = (limit: number): Expr => {
    if (++level > 200) lx.error("chunk has too many syntax levels", undefined);
    let e: Expr;
    const t = lx.tok;
    if (t.t === "not" || t.t === "-" || t.t === "#") {
      lx.next();
      const a = subExpr(UNARY_PRI);
      // Lua 5.1 gives an instruction the line of the last token read when it is coded.
      if (t.t === "-" && a.k === "num") e = { k: "num", v: -a.v };
      else e = { k: "un", op: t.t, a, line: lx.lastLine };
    } else e = simpleExp();
    for (;;) {
      const op = lx.tok.t;
      const pri = BINPRI[op];
      if (!pri || pri[0] <= limit) break;
      lx.next();
      const b = subExpr(pri[1]);
      e = foldBin(op, e, b) ?? { k: "bin", op, a: e, b, line: lx.lastLine };
    }
    level--;
    return e;
  };
  const expr = (): Expr => subExpr(0);

  const statement = (out: Stat[]): boolean => {
    const t = lx.tok;
    const line = t.line;
    switch (t.t) {
      case "if": {
        const conds: Expr[] = [];
        const blocks: Stat[][] = [];
        let els: Stat[] | undefined;
        lx.next();
        conds.push(expr());
        checkNext("then");
        blocks.push(block());
        while (lx.tok.t === "elseif") {
          lx.next();
          conds.push(expr());
          checkNext("then");
          blocks.push(block());
        }
        if (testNext("else")) els = block();
        checkMatch("end", "if", line);
        out.push({ k: "if", conds, blocks, els, line });
        return false;
      }
      case "while": {
        lx.next();
        const cond = expr();
        checkNext("do");
        fs.loops++;
        const body = block();
        fs.loops--;
        checkMatch("end", "while", line);
        out.push({ k: "while", cond, body, line });
        return false;
      }
      case "do": {
        lx.next();
        const body = block();
        checkMatch("end", "do", line);
        out.push({ k: "do", body });
        return false;
      }
      case "for": {
        lx.next();
        const n1 = strName();
        if (lx.tok.t === "=") {
          lx.next();
          const start = expr();
          checkNext(",");
          const limit = expr();
          const step = testNext(",") ? expr() : undefined;
          checkNext("do");
          fs.blocks.push([]);
          const v = declare(n1);
          activate(v);
          fs.loops++;
          const body = block();
          fs.loops--;
          fs.blocks.pop();
          checkMatch("end", "for", line);
          out.push({ k: "fornum", v, start, limit, step, body, line });
        } else if (lx.tok.t === "," || lx.tok.t === "in") {
          const names = [n1];
          while (testNext(",")) names.push(strName());
          checkNext("in");
          const exprs = exprList();
          checkNext("do");
          fs.blocks.push([]);
          const vars = names.map(declare);
          vars.forEach(activate);
          fs.loops++;
          const body = block();
          fs.loops--;
          fs.blocks.pop();
          checkMatch("end", "for", line);
          out.push({ k: "forin", vars, exprs, body, line });
        } else errNear("'=' or 'in' expected");
        return false;
      }
      case "repeat": {
        lx.next();
        fs.loops++;
        fs.blocks.push([]);
        const body = chunkBody();
        checkMatch("until", "repeat", line);
        const cond = expr();
        fs.blocks.pop();
        fs.loops--;
        out.push({ k: "repeat", body, cond, line });
        return false;
      }
      case "function": {
        lx.next();
        const n = strName();
        let target: Expr = resolve(n, line);
        let fullName = n;
        let isMethod = false;
        while (lx.tok.t === ".") {
          const l2 = lx.tok.line;
          lx.next();
          const k = strName();
          fullName += "." + k;
          target = { k: "index", obj: target, key: { k: "str", v: k }, line: l2 };
        }
        if (lx.tok.t === ":") {
          const l2 = lx.tok.line;
          lx.next();
          const k = strName();
          fullName += ":" + k;
          target = { k: "index", obj: target, key: { k: "str", v: k }, line: l2 };
          isMethod = true;
        }
        const f = funcBody(isMethod, line, fullName);
        out.push({ k: "assign", targets: [target], exprs: [{ k: "func", f }], line });
        return false;
      }
      case "local": {
        lx.next();
        if (testNext("function")) {
          const name = strName();
          const decl = declare(name);
          activate(decl);
          const f = funcBody(false, line, name);
          out.push({ k: "localfunc", decl, f, line });
        } else {
          const names: string[] = [];
          do names.push(strName()); while (testNext(","));
          const exprs = testNext("=") ? exprList() : [];
          const decls = names.map(declare);
          decls.forEach(activate);
          out.push({ k: "local", decls, exprs, line });
        }
        return false;
      }
      case "return": {
        lx.next();
        const exprs = blockFollow() || lx.tok.t === ";" ? [] : exprList();
        out.push({ k: "return", exprs, line });
        return true;
      }
      case "break": {
        lx.next();
        if (fs.loops === 0) {
          lx.error("no loop to break", lx.tok.t === T_EOS ? T_EOS : lx.tok.raw, line);
        }
        out.push({ k: "break", line });
        return true;
      }
      default: {
        const e = suffixedExp();
        if (e.k === "call" || e.k === "method") {
          out.push({ k: "callstat", call: e, line });
          return false;
        }
        const assignable = (x: Expr) => x.k === "local" || x.k === "global" || x.k === "index";
        if (!assignable(e)) errNear("syntax error");
        const targets: Expr[] = [e];
        while (testNext(",")) {
          const t2 = suffixedExp();
          if (!assignable(t2)) errNear("syntax error");
          targets.push(t2);
        }
        checkNext("=");
        const exprs = exprList();
        out.push({ k: "assign", targets, exprs, line });
        return false;
      }
    }
  };

  lx.next();
  const body = chunkBody();
  check(T_EOS);
  return { params: [], vararg: true, body, line: 0, name: "main chunk", depth: 0 };
}
