import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import {
  contactsArtifact,
  nameIndexFrom,
  type Contact,
} from '../../src/artifacts/contacts/index.js';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { Backup } from '../../src/backup/backup.js';
import { buildDemoContent, demoData, type ContactsData } from '../../demo/src/index.js';
import { contactsExporter, contactToVCard, foldLine } from '../../src/export/contacts.js';
import { exportArtifacts } from '../../src/export/run.js';
import { NO_NAMES } from '../../src/artifacts/names.js';
import { writeBackup } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

type JCard = [string, Array<[string, Record<string, string>, string, ...unknown[]]>, unknown[]];

function parseCards(text: string): JCard[] {
  const parsed = ICAL.parse(text) as unknown[];
  return (Array.isArray(parsed[0]) ? parsed : [parsed]) as JCard[];
}

function props(card: JCard, name: string) {
  return card[1].filter((p) => p[0] === name);
}

function value(card: JCard, name: string): unknown {
  return props(card, name)[0]?.[3];
}

/** The X-ABLabel of a grouped property, else its TYPE parameter. */
function labelOf(card: JCard, p: JCard[1][number]): string | undefined {
  const group = p[1].group;
  if (group) return props(card, 'x-ablabel').find((l) => l[1].group === group)?.[3] as string;
  return p[1].type === undefined ? undefined : String(p[1].type);
}

const tmp = tempDir('reclaim-contacts-test-');
after(() => tmp.cleanup());

describe('contacts: real iOS 15 AddressBook.sqlitedb (fixture)', needsFixtures(), () => {
  let contacts: Contact[] = [];
  let problems: unknown[] = [];
  const workspace = PrivateWorkspace.create();
  after(() => workspace.dispose());

  before(async () => {
    const source = new LooseFilesSource(
      [
        {
          domain: 'HomeDomain',
          relativePath: 'Library/AddressBook/AddressBook.sqlitedb',
          path: fixture('databases', 'ios15-AddressBook.sqlitedb'),
        },
        {
          domain: 'HomeDomain',
          relativePath: 'Library/AddressBook/AddressBook.sqlitedb-wal',
          path: fixture('databases', 'ios15-AddressBook.sqlitedb-wal'),
        },
      ],
      workspace,
    );
    const data = await contactsArtifact.read(source, {});
    contacts = data.items;
    problems = data.problems;
  });

  test('9 contacts with their numbers, e-mails, labels and the postal address', () => {
    assert.deepEqual(problems, []);
    assert.equal(contacts.filter((c) => !c.recovered).length, 9);
    const josh = contacts.find((c) => c.displayName === 'Josh Hickman')!;
    assert.deepEqual(josh.phones, [
      { label: 'Mobile', value: '(919) 579-0479' },
      { label: 'TextNow', value: '(919) 391-2507' },
    ]);
    assert.deepEqual(josh.emails, [{ label: null, value: 'joshuahickman957@gmail.com' }]);
    const apple = contacts.find((c) => c.organization === 'Apple Inc.')!;
    assert.equal(apple.isCompany, true);
    assert.equal(apple.displayName, 'Apple Inc.');
    assert.deepEqual(apple.addresses, [
      {
        label: 'Work',
        street: 'One Apple Park Way',
        city: 'Cupertino',
        state: 'CA',
        postalCode: '95014',
        country: 'United States',
        countryCode: 'us',
      },
    ]);
    assert.deepEqual(apple.urls, [{ label: 'HomePage', value: 'http://www.apple.com' }]);
    assert.equal(
      contacts.find((c) => c.id === '1')!.created?.toISOString(),
      new Date((703260029 + 978307200) * 1000).toISOString(),
    );
  });

  test('the vCards (3.0 and 4.0) parse back field for field with ical.js', () => {
    for (const version of ['3.0', '4.0'] as const) {
      const cards = parseCards(contacts.map((c) => contactToVCard(c, version)).join(''));
      assert.equal(cards.length, contacts.length);
      cards.forEach((card, i) => {
        const c = contacts[i]!;
        assert.equal(value(card, 'version'), version);
        assert.equal(value(card, 'fn'), c.displayName);
        assert.deepEqual((value(card, 'n') as string[]).slice(0, 2), [
          c.lastName ?? '',
          c.firstName ?? '',
        ]);
        assert.deepEqual(
          props(card, 'tel').map((p) => p[3]),
          c.phones.map((p) => p.value),
        );
        assert.deepEqual(
          props(card, 'email').map((p) => p[3]),
          c.emails.map((p) => p.value),
        );
        assert.deepEqual(
          props(card, 'url').map((p) => p[3]),
          c.urls.map((p) => p.value),
        );
      });
      const josh = cards[contacts.findIndex((c) => c.displayName === 'Josh Hickman')]!;
      const tels = props(josh, 'tel');
      assert.equal(String(tels[0]![1].type).toLowerCase(), 'cell');
      assert.equal(labelOf(josh, tels[1]!), 'TextNow');
      const apple = cards[contacts.findIndex((c) => c.organization === 'Apple Inc.')]!;
      assert.deepEqual(value(apple, 'adr'), [
        '',
        '',
        'One Apple Park Way',
        'Cupertino',
        'CA',
        '95014',
        'United States',
      ]);
      assert.equal(String(props(apple, 'adr')[0]![1].type).toLowerCase(), 'work');
    }
  });

  test('the name index finds them by any spelling of the number, by JID and by e-mail', () => {
    const names = nameIndexFrom({
      artifact: 'contacts',
      items: contacts,
      problems: [],
      notInBackup: [],
      sources: [],
    });
    assert.equal(names.nameFor('+19198887386'), 'This Is DFIR Two');
    assert.equal(names.nameFor('19198887386@s.whatsapp.net'), 'This Is DFIR Two');
    assert.equal(names.nameFor('919-888-7386'), 'This Is DFIR Two');
    assert.equal(names.nameFor('ThisIsDFIRThree@Gmail.com'), 'ThisIs DFIRThree');
    assert.equal(names.nameFor('+1 919 391 2507'), 'Josh Hickman');
    assert.equal(names.nameFor('+19192084530'), 'Liz');
    assert.equal(names.nameFor('+442079460000'), undefined);
    assert.equal(names.nameFor('120363023356659014@g.us'), undefined);
  });
});

describe('contacts: generated AddressBook (real iOS 15 schema) in a generated backup', () => {
  const data: ContactsData = demoData().contacts;
  const tricky =
    'Met at the "Book, Club"; bring snacks \\ coffee\nSecond line: naïve café — 日本語のメモ';
  data.contacts[2] = {
    ...data.contacts[2]!,
    birthday: '1988-07-14',
    note: tricky,
    jobTitle: 'Trail guide, senior',
    nickname: 'Sammy',
  };
  data.contacts[0] = {
    ...data.contacts[0]!,
    person: {
      ...data.contacts[0]!.person,
      last: 'Chen-Østergaard-Łukasiewicz-Papadopoulou-Nakamura-Fitzgerald-Ngata',
    },
  };
  data.deletedRowids = [2]; // Priya Patel
  const out = join(tmp.path, 'out');
  let summary: Awaited<ReturnType<typeof exportArtifacts>> = [];

  before(async () => {
    const dir = join(tmp.path, 'backup');
    const demo = demoData();
    await writeBackup(
      dir,
      buildDemoContent({ only: ['contacts', 'calls'], data: { ...demo, contacts: data } }),
    );
    const workspace = PrivateWorkspace.create();
    try {
      summary = await exportArtifacts(
        new BackupSource(Backup.open(dir), workspace),
        out,
        ['contacts', 'calls'],
        { export: { formats: ['vcf', 'csv', 'json'], time: { utc: true } } },
      );
    } finally {
      workspace.dispose();
    }
  });

  test('exports every card, the deleted one marked as recovered', () => {
    const result = summary.find((r) => r.artifact === 'contacts')!;
    assert.deepEqual(result.problems, []);
    assert.equal(result.items, 5);
    assert.equal(result.recovered, 1);
    assert.equal(result.counts.recovered, 1);
    const cards = parseCards(readFileSync(join(out, 'contacts', 'contacts.vcf'), 'utf8'));
    assert.equal(cards.length, 5);
    const recovered = cards.filter((c) => props(c, 'x-reclaim-recovered').length);
    assert.equal(recovered.length, 1);
    assert.equal(value(recovered[0]!, 'fn'), 'Priya Patel');
    assert.equal(value(recovered[0]!, 'categories'), 'Recovered (deleted)');
    assert.deepEqual(
      props(recovered[0]!, 'tel').map((p) => p[3]),
      ['(415) 555-0145'],
    );
    assert.deepEqual(
      props(recovered[0]!, 'email').map((p) => p[3]),
      ['priya.patel@example.org'],
    );
  });

  test('every card holds exactly what was put in: names, numbers, labels, address, birthday, note, photo', () => {
    const text = readFileSync(join(out, 'contacts', 'contacts.vcf'), 'utf8');
    for (const line of text.split('\r\n'))
      assert.ok(Buffer.byteLength(line) <= 75, `line longer than 75 octets: ${line}`);
    assert.ok(!/[^\r]\n/.test(text), 'CRLF line ends only');
    const cards = parseCards(text);
    for (const c of data.contacts) {
      const p = c.person;
      const fn = p.organization ?? [p.first, p.last].filter(Boolean).join(' ');
      const card = cards.find((x) => value(x, 'fn') === fn);
      assert.ok(card, fn);
      assert.deepEqual(value(card, 'n'), [p.last ?? '', p.first ?? '', '', '', '']);
      const tels = props(card, 'tel');
      assert.deepEqual(
        tels.map((t) => t[3]),
        [p.phoneDisplay],
      );
      const label = data.values.find((v) => v.personRowid === c.rowid && v.property === 3)!.label;
      if (label === '_$!<Mobile>!$_') assert.equal(String(tels[0]![1].type).toLowerCase(), 'cell');
      else assert.equal(labelOf(card, tels[0]!), 'Main');
      assert.deepEqual(
        props(card, 'email').map((e) => e[3]),
        p.email ? [p.email] : [],
      );
      if (p.address) {
        const a = p.address;
        assert.deepEqual(value(card, 'adr'), ['', '', a.street, a.city, a.state, a.zip, a.country]);
      } else assert.equal(props(card, 'adr').length, 0);
      if (p.organization) assert.deepEqual(value(card, 'org'), p.organization);
    }
    const sam = cards.find((x) => value(x, 'fn') === 'Sam Rivera')!;
    assert.equal(value(sam, 'note'), tricky);
    assert.equal(value(sam, 'bday'), '1988-07-14');
    assert.equal(value(sam, 'title'), 'Trail guide, senior');
    assert.equal(value(sam, 'nickname'), 'Sammy');
    const jamie = cards.find((x) => String(value(x, 'fn')).startsWith('Jamie'))!;
    assert.equal(value(jamie, 'fn'), `Jamie ${data.contacts[0]!.person.last}`);
    assert.equal(value(jamie, 'photo'), data.thumbnail.jpeg.toString('base64'));
  });

  test('one file per contact, each a valid card; CSV and JSON carry the recovered mark', () => {
    const files = readdirSync(join(out, 'contacts', 'cards')).sort();
    assert.equal(files.length, 5);
    assert.ok(files.includes('Priya Patel (recovered).vcf'));
    for (const f of files)
      assert.equal(parseCards(readFileSync(join(out, 'contacts', 'cards', f), 'utf8')).length, 1);
    const csv = readFileSync(join(out, 'contacts', 'contacts.csv'), 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines.length, 6);
    assert.ok(lines[0]!.endsWith(',recovered,recovered_from'));
    assert.match(
      lines.find((l) => l.includes('Priya Patel'))!,
      /,yes,freeblock page \d+$/,
    );
    const json = JSON.parse(readFileSync(join(out, 'contacts', 'contacts.json'), 'utf8')) as Array<{
      displayName: string;
      recovered?: { source: string };
      photo: { bytes: number } | null;
    }>;
    assert.equal(
      json.find((c) => c.displayName === 'Priya Patel')!.recovered!.source.startsWith('freeblock'),
      true,
    );
    assert.equal(
      json.find((c) => c.displayName.startsWith('Jamie'))!.photo!.bytes,
      data.thumbnail.jpeg.length,
    );
  });

  test("calls show the contacts' names, including the deleted card's", () => {
    const calls = JSON.parse(readFileSync(join(out, 'calls', 'calls.json'), 'utf8')) as Array<{
      address: string;
      name: string | null;
    }>;
    assert.equal(calls.find((c) => c.address === '+14155550189')!.name, 'Linda Morgan');
    assert.equal(calls.find((c) => c.address === '+14155550145')!.name, 'Priya Patel');
    assert.equal(calls.find((c) => c.address === '+14155550111')!.name, 'Oak Street Dental');
  });

  test('vCard 4.0 on request', async () => {
    const source = new LooseFilesSource([], PrivateWorkspace.create());
    const dir = join(tmp.path, 'v4');
    const contacts = (
      JSON.parse(readFileSync(join(out, 'contacts', 'contacts.json'), 'utf8')) as Contact[]
    ).map((c) => ({
      ...c,
      photo: null,
      created: c.created ? new Date(c.created) : null,
      modified: c.modified ? new Date(c.modified) : null,
    }));
    await contactsExporter.write(
      { artifact: 'contacts', items: contacts, problems: [], notInBackup: [], sources: [] },
      {
        outDir: dir,
        source,
        names: NO_NAMES,
        options: { vcardVersion: '4.0' },
        formats: ['vcf'],
      },
    );
    const cards = parseCards(readFileSync(join(dir, 'contacts.vcf'), 'utf8'));
    assert.equal(cards.length, 5);
    for (const card of cards) assert.equal(value(card, 'version'), '4.0');
    const sam = cards.find((x) => value(x, 'fn') === 'Sam Rivera')!;
    assert.equal(value(sam, 'bday'), '1988-07-14');
    assert.equal(value(sam, 'note'), tricky);
    assert.equal(
      value(
        cards.find((x) => value(x, 'fn') === 'Oak Street Dental')!,
        'kind',
      ),
      'org',
    );
    source.workspace.dispose();
  });
});

describe('contacts: bad input gives problems, never a crash', () => {
  test('not a database, no ABPerson table, no address book at all', async () => {
    const workspace = PrivateWorkspace.create();
    try {
      const junk = join(tmp.path, 'junk.sqlitedb');
      writeFileSync(junk, Buffer.alloc(3000, 7));
      const read = (path: string) =>
        contactsArtifact.read(
          new LooseFilesSource(
            [
              {
                domain: 'HomeDomain',
                relativePath: 'Library/AddressBook/AddressBook.sqlitedb',
                path,
              },
            ],
            workspace,
          ),
          {},
        );
      const bad = await read(junk);
      assert.equal(bad.items.length, 0);
      assert.equal(bad.problems[0]!.severity, 'error');

      const other = buildDemoContent({ only: ['calls'] })[0]!;
      const wrong = join(tmp.path, 'wrong.sqlitedb');
      writeFileSync(wrong, other.data!);
      const noTable = await read(wrong);
      assert.equal(noTable.items.length, 0);
      assert.match(noTable.problems.map((p) => p.message).join('\n'), /no ABPerson table/);

      const none = await contactsArtifact.read(new LooseFilesSource([], workspace), {});
      assert.deepEqual(
        [none.items.length, none.problems.length, none.notInBackup.length],
        [0, 0, 1],
      );
    } finally {
      workspace.dispose();
    }
  });

  test('folding never splits a UTF-8 sequence', () => {
    const line = `NOTE:${'é'.repeat(50)}${'日'.repeat(40)}\u{1F600}\u{1F600}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part) <= 75);
    assert.equal(
      folded
        .split('\r\n')
        .map((p, i) => (i ? p.slice(1) : p))
        .join(''),
      line,
    );
  });
});
