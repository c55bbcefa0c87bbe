import { UTC_CLOCK, type Clock } from '../time.js';

/**
 * RFC 4180 CSV: every field quoted when needed, CRLF line ends, a UTF-8 BOM so spreadsheets read accents.
 * Dates are ISO 8601 with the clock's offset (name their columns with clock.column).
 */
export type CsvValue = string | number | bigint | boolean | null | undefined | Date;

function field(value: CsvValue, clock: Clock): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? (clock.iso(value) ?? '') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvValue[][], clock: Clock = UTC_CLOCK): string {
  const line = (row: CsvValue[]) => row.map((v) => field(v, clock)).join(',');
  return '\uFEFF' + [header, ...rows].map(line).join('\r\n') + '\r\n';
}
