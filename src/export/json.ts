import { UTC_CLOCK, type Clock } from '../time.js';

/** JSON for exports: bigints as numbers when safe (else strings), Buffers as base64, Dates as ISO 8601 with the clock's offset. */
export function toJson(value: unknown, clock: Clock = UTC_CLOCK): string {
  return (
    JSON.stringify(
      value,
      function (key, v: unknown) {
        const raw = (this as Record<string, unknown>)[key];
        if (raw instanceof Date) return clock.iso(raw);
        if (typeof v === 'bigint')
          return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
        if (Buffer.isBuffer(raw)) return { base64: raw.toString('base64') };
        return v;
      },
      2,
    ) + '\n'
  );
}
