/** A small SQL tokenizer, enough for CREATE TABLE statements (quoted names, comments, nesting). */

export interface Token {
  text: string; // identifier text with quotes removed, or the punctuation/word itself
  quoted: boolean;
  kind: 'word' | 'punct' | 'string' | 'number';
}

export function tokenize(sql: string, maxTokens = 100_000): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n && out.length < maxTokens) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      i = j < 0 ? n : j + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      i = j < 0 ? n : j + 2;
    } else if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < n) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      out.push({ text, quoted: true, kind: c === "'" ? 'string' : 'word' });
      i = j + 1;
    } else if (c === '[') {
      const j = sql.indexOf(']', i + 1);
      const end = j < 0 ? n : j;
      out.push({ text: sql.slice(i + 1, end), quoted: true, kind: 'word' });
      i = end + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      out.push({ text: sql.slice(i, j), quoted: false, kind: 'word' });
      i = j;
    } else if (/[0-9.]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9.eExX+\-a-fA-F]/.test(sql[j]!)) j++;
      out.push({ text: sql.slice(i, j), quoted: false, kind: 'number' });
      i = j;
    } else {
      out.push({ text: c, quoted: false, kind: 'punct' });
      i++;
    }
  }
  return out;
}

export function isWord(t: Token | undefined, ...words: string[]): boolean {
  return !!t && !t.quoted && t.kind === 'word' && words.includes(t.text.toUpperCase());
}

/** Splits a script into statements at top-level semicolons (strings and comments respected). */
export function splitStatements(script: string, maxStatements = 100_000): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n && out.length < maxStatements) {
    const c = script[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const j = script.indexOf(c, i + 1);
      i = j < 0 ? n : j + 1;
    } else if (c === '[') {
      const j = script.indexOf(']', i + 1);
      i = j < 0 ? n : j + 1;
    } else if (c === '-' && script[i + 1] === '-') {
      const j = script.indexOf('\n', i);
      i = j < 0 ? n : j + 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const j = script.indexOf('*/', i + 2);
      i = j < 0 ? n : j + 2;
    } else if (c === ';') {
      out.push(script.slice(start, i).trim());
      start = ++i;
    } else {
      i++;
    }
  }
  const rest = script.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter((s) => s.length > 0);
}
