/**
 * A small RFC 5545 writer: content lines with CRLF, folding at 75 octets (never inside a UTF-8
 * sequence), TEXT escaping, quoted parameters, and the date/duration value forms.
 * Writing is the product here; reading back is left to a real parser (ical.js) in the tests.
 */

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(text: string): string {
  return stripControls(text)
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Control characters other than newlines and tab are not allowed in content lines. */
function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** A parameter value: quoted when it holds : ; or , (double quotes cannot be escaped, so they go). */
export function paramValue(value: string): string {
  const clean = stripControls(value)
    .replace(/[\r\n"]+/g, ' ')
    .trim();
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/** A URI or other non-TEXT value: no escaping, but no line breaks or controls either. */
export function plainValue(value: string): string {
  return stripControls(value)
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
}

/** Folds one content line into physical lines of at most 75 octets (continuations start with a space). */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Step back off UTF-8 continuation bytes so a character is never split.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the leading space of a continuation counts
  }
  return parts.join('\r\n ');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 20240309T031500Z */
export function utcDateTime(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/** 20240309T031500 (floating: the wall-clock fields of `date` read in UTC). */
export function floatingDateTime(date: Date): string {
  return utcDateTime(date).slice(0, -1);
}

/** 20240309 (the UTC calendar date of `date`). */
export function dateValue(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

/** A duration in seconds as RFC 5545 DURATION: -PT10M, P1D, -P1DT2H, PT0S. */
export function duration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return 'PT0S';
  if (rest % (7 * 86400) === 0) return `${sign}P${rest / (7 * 86400)}W`;
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  let out = `${sign}P${days ? `${days}D` : ''}`;
  if (hours || minutes || secs)
    out += `T${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${secs ? `${secs}S` : ''}`;
  return out;
}

/** Builds an iCalendar object line by line. */
export class IcsBuilder {
  private readonly lines: string[] = [];

  /** A property with an already-formatted value and optional parameters. */
  raw(name: string, value: string, params: Record<string, string | undefined> = {}): this {
    const p = Object.entries(params)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `;${k}=${paramValue(v!)}`)
      .join('');
    this.lines.push(`${name}${p}:${value}`);
    return this;
  }

  /** A TEXT property (escaped); skipped when empty. */
  text(
    name: string,
    value: string | null | undefined,
    params: Record<string, string | undefined> = {},
  ): this {
    if (value === null || value === undefined || value === '') return this;
    return this.raw(name, escapeText(value), params);
  }

  /** A URI property (not escaped); skipped when empty. */
  uri(
    name: string,
    value: string | null | undefined,
    params: Record<string, string | undefined> = {},
  ): this {
    if (!value) return this;
    const v = plainValue(value);
    return v ? this.raw(name, v, params) : this;
  }

  begin(component: string): this {
    this.lines.push(`BEGIN:${component}`);
    return this;
  }

  end(component: string): this {
    this.lines.push(`END:${component}`);
    return this;
  }

  toString(): string {
    return this.lines.map(foldLine).join('\r\n') + '\r\n';
  }
}
