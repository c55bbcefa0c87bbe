/** RFC 4180 CSV: every field quoted when needed, CRLF line ends, a UTF-8 BOM so spreadsheets read accents. */
export type CsvValue = string | number | bigint | boolean | null | undefined | Date;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? Number.isNaN(value.getTime())
        ? ''
        : value.toISOString()
      : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvValue[][]): string {
  return '\uFEFF' + [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
