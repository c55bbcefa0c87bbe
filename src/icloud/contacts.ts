import ICAL from 'ical.js';
import { emptyData, type ArtifactData } from '../artifacts/artifact.js';
import {
  cleanLabel,
  displayNameOf,
  type Contact,
  type LabeledValue,
  type PostalAddress,
} from '../artifacts/contacts/index.js';
import type { Catalog } from './catalog.js';
import { LIMITS } from './limits.js';
import { decodeText } from './text.js';
import { readWhole } from './volume.js';

/** Contacts of an export: its .vcf files (vCard 3 or 4, parsed by ical.js), as the same records a backup gives. */

const MAX_CONTACTS = 500_000;
const MAX_PHOTO = 16 * 1024 * 1024;

type JCalProperty = [string, Record<string, unknown>, string, ...unknown[]];
type JCard = ['vcard', JCalProperty[], unknown[]];

const TYPE_LABELS: Record<string, string> = {
  cell: 'Mobile',
  mobile: 'Mobile',
  iphone: 'iPhone',
  home: 'Home',
  work: 'Work',
  main: 'Main',
  other: 'Other',
  pager: 'Pager',
  fax: 'Fax',
  school: 'School',
};

const text = (value: unknown): string | null => {
  if (Array.isArray(value)) return text(value.filter((v) => v !== '').join(' '));
  if (typeof value !== 'string') return value == null ? null : String(value);
  return value.trim() || null;
};

function typesOf(params: Record<string, unknown>): string[] {
  const t = params['type'];
  return (Array.isArray(t) ? t : typeof t === 'string' ? t.split(',') : []).map((s) =>
    String(s).toLowerCase(),
  );
}

function labelOf(prop: JCalProperty, labels: Map<string, string>): string | null {
  const group = prop[1]['group'];
  if (typeof group === 'string' && labels.has(group)) return cleanLabel(labels.get(group)!);
  const types = typesOf(prop[1]);
  const named = types.map((t) => TYPE_LABELS[t]).filter(Boolean);
  if (types.includes('fax')) return [...named.filter((n) => n !== 'Fax'), 'Fax'].join(' ');
  return named[0] ?? null;
}

function photoOf(prop: JCalProperty): Contact['photo'] {
  const raw = String(prop[3] ?? '');
  const dataUri = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(raw);
  const base64 = (dataUri ? dataUri[3]! : raw).replace(/\s+/g, '');
  if (!base64 || base64.length > (MAX_PHOTO * 4) / 3 || /^https?:/i.test(raw)) return null;
  const data = Buffer.from(base64, 'base64');
  const type = dataUri?.[1] ?? `image/${typesOf(prop[1])[0] ?? 'jpeg'}`;
  return { mimeType: type.toLowerCase(), data, source: 'full-size' };
}

function contactFrom(card: JCard, id: string): Contact {
  const props = card[1];
  const labels = new Map<string, string>();
  for (const p of props)
    if (p[0] === 'x-ablabel' && typeof p[1]['group'] === 'string')
      labels.set(p[1]['group'], String(p[3]));
  const first = (name: string) => props.find((p) => p[0] === name);
  const all = (name: string) => props.filter((p) => p[0] === name);
  const n = (first('n')?.[3] ?? []) as string[];
  const org = first('org')?.[3];
  const orgParts = Array.isArray(org) ? org : [org];
  const values = (name: string): LabeledValue[] =>
    all(name)
      .map((p) => ({ label: labelOf(p, labels), value: text(p[3]) ?? '' }))
      .filter((v) => v.value);
  const addresses: PostalAddress[] = all('adr').map((p) => {
    const parts = (Array.isArray(p[3]) ? p[3] : [p[3]]) as string[];
    const group = p[1]['group'];
    const countryCode = props.find(
      (q) => q[0] === 'x-abadr' && typeof group === 'string' && q[1]['group'] === group,
    )?.[3];
    return {
      label: labelOf(p, labels),
      street: text([parts[1], parts[2]].filter(Boolean).join('\n')),
      city: text(parts[3]),
      state: text(parts[4]),
      postalCode: text(parts[5]),
      country: text(parts[6]),
      countryCode: text(countryCode),
    };
  });
  const bday = text(first('bday')?.[3]);
  const rev = text(first('rev')?.[3]);
  const contact: Contact = {
    id: text(first('uid')?.[3]) ?? id,
    displayName: '',
    prefix: text(n[3]),
    firstName: text(n[1]),
    middleName: text(n[2]),
    lastName: text(n[0]),
    suffix: text(n[4]),
    nickname: text(first('nickname')?.[3]),
    organization: text(orgParts[0]),
    department: text(orgParts[1]),
    jobTitle: text(first('title')?.[3]),
    isCompany: /company/i.test(String(first('x-abshowas')?.[3] ?? '')),
    birthday:
      bday && /^\d{4}-?\d{2}-?\d{2}/.test(bday)
        ? bday.replace(/^(\d{4})-?(\d{2})-?(\d{2}).*/, '$1-$2-$3')
        : null,
    note: text(first('note')?.[3]),
    phones: values('tel'),
    emails: values('email'),
    urls: values('url'),
    relatedNames: values('x-abrelatednames'),
    addresses,
    created: null,
    modified: rev && !Number.isNaN(Date.parse(rev)) ? new Date(rev) : null,
    photo: null,
  };
  const photo = first('photo');
  if (photo) contact.photo = photoOf(photo);
  const fn = text(first('fn')?.[3]);
  contact.displayName = displayNameOf(contact) || fn || 'No name';
  return contact;
}

export async function readIcloudContacts(catalog: Catalog): Promise<ArtifactData<Contact>> {
  const data = emptyData<Contact>('contacts');
  for (const { volume, path } of catalog.vcards) {
    try {
      const { text: body } = decodeText(await readWhole(volume, path, LIMITS.textFile));
      const parsed = ICAL.parse(body) as unknown;
      const cards = (
        Array.isArray(parsed) && parsed[0] === 'vcard' ? [parsed] : (parsed as unknown[])
      ) as JCard[];
      for (const [i, card] of cards.entries()) {
        if (data.items.length >= MAX_CONTACTS) break;
        if (Array.isArray(card) && card[0] === 'vcard')
          data.items.push(contactFrom(card, `${volume.id}/${path}#${i + 1}`));
      }
      data.sources.push(`${volume.id}/${path}`);
    } catch (error) {
      data.problems.push({
        severity: 'error',
        message: `Contacts: ${volume.id}: ${path}: not a readable vCard file (${(error as Error).message})`,
      });
    }
  }
  if (data.items.length >= MAX_CONTACTS)
    data.problems.push({
      severity: 'warning',
      message: `Contacts: more than ${MAX_CONTACTS} cards; the rest not read`,
    });
  return data;
}
