import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Turns a phone number, e-mail address or other handle into a person's name, when the contacts know it. */
export interface NameIndex {
  nameFor(handle: string | null | undefined): string | undefined;
}

export const NO_NAMES: NameIndex = { nameFor: () => undefined };

/** One person's handles, as the contacts store them. */
export interface NamedHandles {
  name: string;
  phones: string[];
  emails: string[];
}

const KEYPAD: Record<string, string> = {
  a: '2',
  b: '2',
  c: '2',
  d: '3',
  e: '3',
  f: '3',
  g: '4',
  h: '4',
  i: '4',
  j: '5',
  k: '5',
  l: '5',
  m: '6',
  n: '6',
  o: '6',
  p: '7',
  q: '7',
  r: '7',
  s: '7',
  t: '8',
  u: '8',
  v: '8',
  w: '9',
  x: '9',
  y: '9',
  z: '9',
};

const KNOWN_COUNTRIES = new Set<string>(getCountries());

/** "1-800-MY-APPLE" → "1-800-69-27753": vanity letters as keypad digits. */
function keypadDigits(text: string): string {
  return /[a-z]/i.test(text) ? text.replace(/[a-z]/gi, (c) => KEYPAD[c.toLowerCase()] ?? c) : text;
}

/** A WhatsApp JID ("447700900123@s.whatsapp.net") as the phone number it names; null for other handles. */
export function phoneFromJid(handle: string): string | null {
  const m = /^(\d{5,16})(?::\d+)?@(s\.whatsapp\.net|c\.us)$/i.exec(handle.trim());
  return m ? `+${m[1]}` : null;
}

export interface PhoneKeys {
  /** E.164 form, when the number parses. */
  e164: string | null;
  /** National significant numbers it may be matched by (digits after the country code, or the bare digits). */
  national: string[];
}

/**
 * The keys a phone number is matched by: E.164 (using `country` for numbers written without a country
 * code) and national significant numbers, for numbers whose country cannot be known. `bareAsInternational`
 * reads bare digit strings of 8+ digits as international numbers without their "+" ("447700900123").
 */
export function phoneKeys(
  raw: string,
  country?: CountryCode,
  bareAsInternational = false,
): PhoneKeys {
  const text = keypadDigits(raw.trim());
  const digits = text.replace(/\D/g, '');
  if (digits.length < 3) return { e164: null, national: [] };
  const international = text.startsWith('+') || text.startsWith('00');
  let parsed = international
    ? parsePhoneNumberFromString(text.startsWith('00') ? `+${digits.slice(2)}` : text)
    : country
      ? parsePhoneNumberFromString(text, { defaultCountry: country })
      : undefined;
  if (
    (!parsed || !parsed.isPossible()) &&
    !international &&
    bareAsInternational &&
    digits.length >= 8
  ) {
    const asInternational = parsePhoneNumberFromString(`+${digits}`);
    if (asInternational?.isPossible()) parsed = asInternational;
  }
  const national = new Set<string>();
  if (parsed && parsed.isPossible()) national.add(parsed.nationalNumber);
  if (!international) {
    const bare = digits.replace(/^0+/, '');
    if (bare.length >= 5) national.add(bare);
  }
  return { e164: parsed && parsed.isPossible() ? parsed.number : null, national: [...national] };
}

/**
 * The contacts' names by normalised phone number (E.164, else national significant number) and
 * lower-cased e-mail address. Numbers written without a country code are read in `country`, when known.
 */
export class ContactNameIndex implements NameIndex {
  private readonly byE164 = new Map<string, string>();
  private readonly byNational = new Map<string, string | null>();
  private readonly byEmail = new Map<string, string>();
  private readonly byRaw = new Map<string, string>();

  constructor(
    people: readonly NamedHandles[],
    readonly country?: CountryCode,
  ) {
    for (const p of people) {
      if (!p.name) continue;
      for (const phone of p.phones) {
        this.byRaw.set(phone.trim(), p.name);
        // A number that is not a national number of the device's country may be an international one
        // written without its "+" ("1-800-..." on a British phone).
        const keys = phoneKeys(phone, country, country !== undefined);
        if (keys.e164 && !this.byE164.has(keys.e164)) this.byE164.set(keys.e164, p.name);
        for (const national of keys.national) {
          const existing = this.byNational.get(national);
          // Two different people with the same national number: ambiguous, matched only by E.164.
          this.byNational.set(
            national,
            existing === undefined || existing === p.name ? p.name : null,
          );
        }
      }
      for (const email of p.emails) {
        const key = email.trim().toLowerCase();
        if (key && !this.byEmail.has(key)) this.byEmail.set(key, p.name);
      }
    }
  }

  get size(): number {
    return new Set([...this.byE164.values(), ...this.byEmail.values()]).size;
  }

  nameFor(handle: string | null | undefined): string | undefined {
    if (!handle) return undefined;
    const text = handle.trim();
    if (!text) return undefined;
    const jidPhone = phoneFromJid(text);
    if (!jidPhone && text.includes('@')) {
      const email = text.replace(/^mailto:/i, '').toLowerCase();
      return this.byEmail.get(email);
    }
    const raw = this.byRaw.get(text);
    if (raw) return raw;
    const phone = jidPhone ?? text.replace(/^tel:/i, '');
    if (!/\d/.test(phone)) return undefined;
    const keys = phoneKeys(phone, this.country, true);
    if (keys.e164) {
      const found = this.byE164.get(keys.e164);
      if (found) return found;
    }
    for (const national of keys.national) {
      const found = this.byNational.get(national);
      if (found) return found;
    }
    return undefined;
  }
}

/**
 * The device's country, guessed from numbers written in international form (their country) and from
 * postal addresses' country codes: the most common one wins. Undefined when nothing tells.
 */
export function guessCountry(
  phones: readonly string[],
  countryCodes: readonly string[] = [],
): CountryCode | undefined {
  const votes = new Map<string, number>();
  const vote = (c: string | undefined, weight: number) => {
    if (!c) return;
    const code = c.toUpperCase();
    if (KNOWN_COUNTRIES.has(code)) votes.set(code, (votes.get(code) ?? 0) + weight);
  };
  for (const phone of phones) {
    const text = keypadDigits(phone.trim());
    if (!text.startsWith('+')) continue;
    vote(parsePhoneNumberFromString(text)?.country, 2);
  }
  for (const code of countryCodes) vote(code, 1);
  let best: string | undefined;
  let bestVotes = 0;
  for (const [code, n] of votes) if (n > bestVotes) [best, bestVotes] = [code, n];
  return best as CountryCode | undefined;
}
