/**
 * Finds the sums a worked answer states ("16 - 3 = 13", "<<9*2=18>>") and re-does them. A
 * model that writes a wrong sum has usually reached a wrong answer, which makes a wrong sum the
 * cheapest strong sign that a cheap answer should be asked again. Pure and allocation-light: it
 * runs on every checked answer.
 */

export interface ArithmeticTally {
  /** Equations whose left side has an operator and whose both sides evaluate. */
  checked: number;
  /** Of those, how many are wrong by more than rounding. */
  wrong: number;
  /** The result of the last checked equation, if any. */
  lastResult: number | null;
}

/**
 * Evaluates + - * / × ÷ x and parentheses over plain numbers ("$", "," and "%" are read as
 * money, digit grouping and /100). Returns null for anything else: there is no eval here, only
 * a recursive-descent parser over a fixed token set.
 */
export function evaluateArithmetic(source: string): number | null {
  const parsed = tokenize(source);
  if (!parsed) return null;
  const tokens: readonly Token[] = parsed;
  let at = 0;
  const peek = () => tokens[at];
  function primary(): number | null {
    const t = tokens[at++];
    if (t === undefined) return null;
    if (typeof t === 'number') return t;
    if (t === '(') {
      const v = sum();
      if (tokens[at++] !== ')') return null;
      return v;
    }
    if (t === '-') {
      const v = primary();
      return v === null ? null : -v;
    }
    return null;
  }
  function product(): number | null {
    let v = primary();
    while (v !== null && (peek() === '*' || peek() === '/')) {
      const op = tokens[at++];
      const r = primary();
      if (r === null) return null;
      v = op === '*' ? v * r : r === 0 ? null : v / r;
    }
    return v;
  }
  function sum(): number | null {
    let v = product();
    while (v !== null && (peek() === '+' || peek() === '-')) {
      const op = tokens[at++];
      const r = product();
      if (r === null) return null;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  }
  const value = sum();
  return value !== null && at === tokens.length && Number.isFinite(value) ? value : null;
}

type Token = number | '+' | '-' | '*' | '/' | '(' | ')';

const OPERATORS: Record<string, Token> = { '+': '+', '-': '-', '−': '-', '*': '*', '×': '*', x: '*', '·': '*', '/': '/', '÷': '/', '(': '(', ')': ')' };

function tokenize(source: string): Token[] | null {
  const tokens: Token[] = [];
  const s = source.replace(/\$/g, '');
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && s[i + 1] !== undefined && s[i + 1]! >= '0' && s[i + 1]! <= '9')) {
      let j = i;
      while (j < s.length && /[\d.,]/.test(s[j]!)) j++;
      // A trailing "," or "." is punctuation, not part of the number.
      while (j > i && (s[j - 1] === ',' || s[j - 1] === '.')) j--;
      const n = Number(s.slice(i, j).replace(/,(?=\d{3}(\D|$))/g, ''));
      if (!Number.isFinite(n)) return null;
      i = j;
      if (s[i] === '%') {
        tokens.push(n / 100);
        i++;
      } else tokens.push(n);
      continue;
    }
    const op = OPERATORS[c];
    if (op === undefined) return null;
    tokens.push(op);
    i++;
  }
  return tokens.length ? tokens : null;
}

const HAS_OPERATOR = /\d\s*[-+*/×x÷·−]\s*[\d($.]/;
/** The arithmetic tail of the text left of an "=": digits, operators, parentheses, money. */
const LEFT_TAIL = /[\d$.,%()+\-*/×x÷·−\s]+$/;
/** The number that opens the text right of an "=". */
const RIGHT_HEAD = /^\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)(%?)/;
const ANNOTATION = /<<([^<>=]+)=([^<>]+)>>/g;

function close(a: number, b: number): boolean {
  const scale = Math.max(1, Math.abs(a), Math.abs(b));
  // Answers round: 7/3 = 2.33 is right, 7/3 = 2.5 is not.
  return Math.abs(a - b) <= 0.011 * scale || Math.abs(a - b) < 0.0051 * Math.max(1, scale / 100);
}

/** Every stated equation in an answer, re-done. */
export function checkArithmetic(markdown: string): ArithmeticTally {
  // Markdown escapes its operators: "12 \\* $2".
  const answer = markdown.replace(/\\([*_+\-/])/g, '$1');
  const tally: ArithmeticTally = { checked: 0, wrong: 0, lastResult: null };
  /** `percent`: the right side was written "n%", which answers write both for n and for n/100. */
  const judge = (left: string, right: number, percent = false) => {
    if (!HAS_OPERATOR.test(left)) return;
    const value = evaluateArithmetic(left.trim().replace(/^[+*/×÷·]+|[-+*/×x÷·−\s(]+$/g, ''));
    if (value === null) return;
    tally.checked++;
    if (!close(value, right) && !(percent && close(value, right * 100))) tally.wrong++;
    tally.lastResult = right;
  };
  for (const m of answer.matchAll(ANNOTATION)) {
    const right = Number(m[2]!.replace(/,/g, ''));
    if (Number.isFinite(right)) judge(m[1]!, right);
  }
  const prose = answer.replace(ANNOTATION, ' ');
  for (const line of prose.split('\n')) {
    const parts = line.split('=');
    for (let k = 0; k + 1 < parts.length; k++) {
      const tail = parts[k]!.match(LEFT_TAIL)?.[0];
      const head = parts[k + 1]!.match(RIGHT_HEAD);
      if (!tail || !head) continue;
      // "5/2 = 2.5" continues "2 + 1/2 = 5/2": the right side is a number only if no operator follows it.
      const after = parts[k + 1]!.slice(head[0].length);
      if (/^\s*[-+*/×÷·−]\s*[\d($]/.test(after) || /^\s*x\s*\d/.test(after)) continue;
      const percent = head[2] === '%';
      const right = Number(head[1]!.replace(/,/g, '')) / (percent ? 100 : 1);
      // "It costs 5. 3 * 4 = 12": the sum starts after the last sentence or list break.
      const sum = tail.split(/[.,;:]\s/).at(-1)!;
      if (Number.isFinite(right)) judge(sum.replace(/^[^\d($.(-]+/, ''), right, percent);
    }
  }
  return tally;
}
