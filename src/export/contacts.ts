import { join } from 'node:path';
import type { ArtifactData } from '../artifacts/artifact.js';
import type { Problem } from '../artifacts/artifact.js';
import {
  contactsDeclaration,
  type Contact,
  type LabeledValue,
  type PostalAddress,
} from '../artifacts/contacts/index.js';
import { toCsv } from './csv.js';
import { defineExporter } from './exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from './files.js';
import { toJson } from './json.js';
import { clock } from '../time.js';

/**
 * vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) writing: values escaped, lines folded at 75 octets without
 * splitting a UTF-8 sequence, CRLF line ends. Labels Contacts knows become TYPE parameters; any other
 * label is kept the way Apple's own exports keep it: a property group with an X-ABLabel.
 */
export type VCardVersion = '3.0' | '4.0';

/**
 * Escapes a text value: backslash, line breaks and commas always; semicolons only inside a structured value
 * (N, ADR, ORG), where they separate components (parsers keep a "\\;" in a plain text value literally).
 */
export function escapeText(value: string, structured = false): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/,/g, '\\,');
  return structured ? escaped.replace(/;/g, '\\;') : escaped;
}

const component = (value: string | null | undefined) => escapeText(value ?? '', true);

/** A parameter value: quoted when it holds characters that would end it; quotes and line breaks cannot be kept. */
function paramValue(value: string): string {
  const clean = value.replace(/["\r\n]/g, ' ').trim();
  return /[;:,\s]/.test(clean) ? `"${clean}"` : clean;
}

/** Folds one content line at 75 octets (continuation lines start with a space). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

const PHONE_TYPES: Record<string, string[]> = {
  mobile: ['cell'],
  home: ['home'],
  work: ['work'],
  pager: ['pager'],
  homefax: ['fax', 'home'],
  workfax: ['fax', 'work'],
  otherfax: ['fax'],
  fax: ['fax'],
};
const OTHER_TYPES: Record<string, string[]> = { home: ['home'], work: ['work'] };

class CardWriter {
  private readonly lines: string[] = [];
  private group = 0;

  constructor(readonly version: VCardVersion) {}

  add(name: string, value: string, params: string[] = []): void {
    this.lines.push(foldLine(`${name}${params.map((p) => `;${p}`).join('')}:${value}`));
  }

  /** A labelled property: TYPE for the labels vCard knows, else a group with X-ABLabel. */
  labelled(
    name: string,
    value: string,
    label: string | null,
    known: Record<string, string[]>,
    extraTypes: string[] = [],
  ): void {
    const types = label ? known[label.toLowerCase().replace(/\s+/g, '')] : undefined;
    const v4 = this.version === '4.0';
    const typeParam = (t: string[]) =>
      t.length ? [`TYPE=${t.map((x) => paramValue(v4 ? x : x.toUpperCase())).join(',')}`] : [];
    const valueParam = v4 && name === 'TEL' ? ['VALUE=text'] : [];
    if (!label || types) {
      this.add(name, value, [...valueParam, ...typeParam([...extraTypes, ...(types ?? [])])]);
      return;
    }
    const group = `item${++this.group}`;
    this.add(`${group}.${name}`, value, [...valueParam, ...typeParam(extraTypes)]);
    this.add(`${group}.X-ABLabel`, escapeText(label));
  }

  text(): string {
    return this.lines.join('\r\n') + '\r\n';
  }
}

/** TEL (3.0 phone-number) and URL (uri) values are not text: no escaping, only line breaks removed. */
const RAW_VALUES = new Set(['URL']);

function labelledValues(
  w: CardWriter,
  name: string,
  values: LabeledValue[],
  known: Record<string, string[]>,
  extra: string[] = [],
): void {
  const raw = RAW_VALUES.has(name) || (name === 'TEL' && w.version === '3.0');
  for (const v of values)
    w.labelled(
      name,
      raw ? v.value.replace(/[\r\n]+/g, ' ') : escapeText(v.value),
      v.label,
      known,
      extra,
    );
}

/** One contact as a vCard. */
export function contactToVCard(c: Contact, version: VCardVersion = '3.0'): string {
  const v4 = version === '4.0';
  const w = new CardWriter(version);
  w.add('BEGIN', 'VCARD');
  w.add('VERSION', version);
  w.add('PRODID', '-//Reclaim//Contacts export//EN');
  if (v4 && c.isCompany) w.add('KIND', 'org');
  w.add('N', [c.lastName, c.firstName, c.middleName, c.prefix, c.suffix].map(component).join(';'));
  w.add('FN', escapeText(c.displayName));
  if (c.nickname) w.add('NICKNAME', escapeText(c.nickname));
  if (c.organization || c.department)
    w.add(
      'ORG',
      [c.organization ?? '', ...(c.department ? [c.department] : [])].map(component).join(';'),
    );
  if (c.jobTitle) w.add('TITLE', escapeText(c.jobTitle));
  labelledValues(w, 'TEL', c.phones, PHONE_TYPES);
  labelledValues(w, 'EMAIL', c.emails, OTHER_TYPES, v4 ? [] : ['internet']);
  for (const a of c.addresses) {
    const parts = ['', '', a.street, a.city, a.state, a.postalCode, a.country]
      .map(component)
      .join(';');
    w.labelled('ADR', parts, a.label, OTHER_TYPES);
  }
  labelledValues(w, 'URL', c.urls, OTHER_TYPES);
  for (const r of c.relatedNames) {
    if (v4) w.labelled('RELATED', escapeText(r.value), null, {}, []);
    else w.labelled('X-ABRELATEDNAMES', escapeText(r.value), r.label, {});
  }
  if (c.birthday) w.add('BDAY', v4 ? c.birthday.replace(/-/g, '') : c.birthday);
  if (c.note) w.add('NOTE', escapeText(c.note));
  if (c.photo) {
    const base64 = c.photo.data.toString('base64');
    if (v4) w.add('PHOTO', `data:${c.photo.mimeType};base64,${base64}`);
    else
      w.add('PHOTO', base64, [
        'ENCODING=b',
        `TYPE=${paramValue(c.photo.mimeType.replace(/^image\//, '').toUpperCase())}`,
      ]);
  }
  if (c.modified)
    w.add(
      'REV',
      c.modified
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/[-:]/g, ''),
    );
  w.add('UID', `reclaim-contact-${c.recovered ? 'recovered-' : ''}${c.id}`);
  if (c.recovered) {
    w.add('CATEGORIES', 'Recovered (deleted)');
    w.add(
      'X-RECLAIM-RECOVERED',
      escapeText(
        `${c.recovered.source}; confidence ${c.recovered.confidence}${c.recovered.partial ? '; partial' : ''}`,
      ),
    );
  }
  w.add('END', 'VCARD');
  return w.text();
}

// ---------------------------------------------------------------------------------------------------
/** One card as contacts.json holds it (the photo's bytes left out, its size kept). */
export function contactJson(c: Contact): Record<string, unknown> {
  return {
    ...c,
    photo: c.photo
      ? { mimeType: c.photo.mimeType, bytes: c.photo.data.length, source: c.photo.source }
      : null,
  };
}

// The exporter: contacts.vcf (every card), one .vcf per contact in cards/, contacts.csv, contacts.json.

function joinLabelled(values: LabeledValue[]): string {
  return values.map((v) => (v.label ? `${v.label}: ${v.value}` : v.value)).join('; ');
}

function addressLine(a: PostalAddress): string {
  const text = [a.street, a.city, [a.state, a.postalCode].filter(Boolean).join(' '), a.country]
    .filter(Boolean)
    .join(', ')
    .replace(/\n/g, ', ');
  return a.label ? `${a.label}: ${text}` : text;
}

const CSV_HEADER = [
  'id',
  'display_name',
  'prefix',
  'first_name',
  'middle_name',
  'last_name',
  'suffix',
  'nickname',
  'organization',
  'department',
  'job_title',
  'birthday',
  'phones',
  'emails',
  'addresses',
  'urls',
  'note',
  'created',
  'modified',
  'photo',
  'recovered',
  'recovered_from',
];

export const contactsExporter = defineExporter(
  contactsDeclaration,
  async (data: ArtifactData<Contact>, context) => {
    const version: VCardVersion = context.options.vcardVersion === '4.0' ? '4.0' : '3.0';
    const contacts = data.items;
    const problems: Problem[] = [];
    let files = 0;
    const times = clock(context.options.time);
    if (context.formats.includes('vcf')) {
      const cards = contacts.map((c) => contactToVCard(c, version));
      writeFileAtomic(join(context.outDir, 'contacts.vcf'), cards.join(''));
      files++;
      const names = new UniqueNames();
      contacts.forEach((c, i) => {
        const name = names.take(
          `${safeFileName(c.displayName, `contact-${c.id}`)}${c.recovered ? ' (recovered)' : ''}.vcf`,
        );
        writeFileAtomic(join(context.outDir, 'cards', name), cards[i]!, c.modified ?? undefined);
        files++;
        context.onProgress?.(i + 1, contacts.length);
      });
    }
    if (context.formats.includes('csv')) {
      const rows = contacts.map((c) => [
        c.id,
        c.displayName,
        c.prefix,
        c.firstName,
        c.middleName,
        c.lastName,
        c.suffix,
        c.nickname,
        c.organization,
        c.department,
        c.jobTitle,
        c.birthday,
        joinLabelled(c.phones),
        joinLabelled(c.emails),
        c.addresses.map(addressLine).join('; '),
        joinLabelled(c.urls),
        c.note,
        c.created,
        c.modified,
        c.photo ? c.photo.mimeType : '',
        c.recovered ? 'yes' : '',
        c.recovered?.source ?? '',
      ]);
      const header = CSV_HEADER.map((h) =>
        h === 'created' || h === 'modified' ? times.column(h) : h,
      );
      writeFileAtomic(join(context.outDir, 'contacts.csv'), toCsv(header, rows, times));
      files++;
    }
    if (context.formats.includes('json')) {
      const plain = contacts.map(contactJson);
      writeFileAtomic(join(context.outDir, 'contacts.json'), toJson(plain, times));
      files++;
    }
    return {
      artifact: 'contacts',
      counts: {
        contacts: contacts.length,
        recovered: contacts.filter((c) => c.recovered).length,
        photos: contacts.filter((c) => c.photo).length,
        phones: contacts.reduce((s, c) => s + c.phones.length, 0),
      },
      files,
      problems,
    };
  },
);
