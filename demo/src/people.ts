/** The fictional owner of the demo phone and the people in the demo data. Numbers are in the 555-01xx fiction range. */

export interface DemoPostalAddress {
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  countryCode: string;
}

export interface DemoPerson {
  key: 'jamie' | 'priya' | 'sam' | 'mom' | 'dentist' | 'jordan';
  first: string | null;
  last: string | null;
  organization: string | null;
  /** E.164, as sms.db handles and call records store it. */
  phone: string;
  /** As typed into Contacts. */
  phoneDisplay: string;
  email: string | null;
  address: DemoPostalAddress | null;
}

export const OWNER = {
  name: 'Alex Morgan',
  phone: '+14155550100',
  email: 'alex.morgan@example.com',
  deviceName: "Alex's iPhone",
} as const;

export const PEOPLE: readonly DemoPerson[] = [
  {
    key: 'jamie',
    first: 'Jamie',
    last: 'Chen',
    organization: null,
    phone: '+14155550123',
    phoneDisplay: '(415) 555-0123',
    email: 'jamie.chen@example.com',
    address: null,
  },
  {
    key: 'priya',
    first: 'Priya',
    last: 'Patel',
    organization: null,
    phone: '+14155550145',
    phoneDisplay: '(415) 555-0145',
    email: 'priya.patel@example.org',
    address: null,
  },
  {
    key: 'sam',
    first: 'Sam',
    last: 'Rivera',
    organization: null,
    phone: '+14155550167',
    phoneDisplay: '(415) 555-0167',
    email: 'sam.rivera@example.net',
    address: {
      street: '742 Alder Street',
      city: 'Portland',
      state: 'OR',
      zip: '97205',
      country: 'United States',
      countryCode: 'us',
    },
  },
  {
    key: 'mom',
    first: 'Linda',
    last: 'Morgan',
    organization: null,
    phone: '+14155550189',
    phoneDisplay: '(415) 555-0189',
    email: null,
    address: null,
  },
  {
    key: 'dentist',
    first: null,
    last: null,
    organization: 'Oak Street Dental',
    phone: '+14155550111',
    phoneDisplay: '(415) 555-0111',
    email: null,
    address: null,
  },
];

/** A contact the owner deleted from the phone (not in PEOPLE): the demo's deleted ABPerson row, recovered from free space. */
export const FORMER_CONTACT: DemoPerson = {
  key: 'jordan',
  first: 'Jordan',
  last: 'Blake',
  organization: null,
  phone: '+14155550178',
  phoneDisplay: '(415) 555-0178',
  email: 'jordan.blake@example.com',
  address: null,
};

export function person(key: DemoPerson['key']): DemoPerson {
  const p = PEOPLE.find((x) => x.key === key);
  if (!p) throw new Error(`no demo person ${key}`);
  return p;
}

export function displayName(p: DemoPerson): string {
  return p.organization ?? [p.first, p.last].filter(Boolean).join(' ');
}
