/** JSON for exports: bigints as numbers when safe (else strings), Buffers as base64, Dates as ISO text. */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      function (key, v: unknown) {
        const raw = (this as Record<string, unknown>)[key];
        if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
        if (typeof v === 'bigint')
          return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
        if (Buffer.isBuffer(raw)) return { base64: raw.toString('base64') };
        return v;
      },
      2,
    ) + '\n'
  );
}
