import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  ContactNameIndex,
  guessCountry,
  phoneFromJid,
  phoneKeys,
} from '../../src/artifacts/names.js';

const people = [
  { name: 'Amelia Jones', phones: ['07700 900123'], emails: ['Amelia@Example.co.uk'] },
  { name: 'Bob Smith', phones: ['+1 (415) 555-0123'], emails: [] },
  { name: 'Apple', phones: ['1-800-MY-APPLE'], emails: [] },
  { name: 'Twin A', phones: ['020 7946 0000'], emails: [] },
];

test('phone numbers match in any form: E.164, national, WhatsApp JID, with or without the country', () => {
  const names = new ContactNameIndex(people, guessCountry(['+447700900999', '+44 20 7946 0001']));
  assert.equal(names.country, 'GB');
  for (const handle of [
    '+447700900123',
    '447700900123@s.whatsapp.net',
    '07700900123',
    '0044 7700 900123',
    'tel:+44-7700-900123',
  ]) {
    assert.equal(names.nameFor(handle), 'Amelia Jones', handle);
  }
  assert.equal(names.nameFor('+14155550123'), 'Bob Smith');
  assert.equal(names.nameFor('14155550123@s.whatsapp.net'), 'Bob Smith');
  assert.equal(names.nameFor('amelia@example.co.uk'), 'Amelia Jones');
  assert.equal(names.nameFor('mailto:AMELIA@example.co.uk'), 'Amelia Jones');
  assert.equal(names.nameFor('+442079460000'), 'Twin A');
  assert.equal(names.nameFor('+18006927753'), 'Apple');
  assert.equal(names.nameFor('+15555550199'), undefined);
  assert.equal(names.nameFor('120363041877520391@g.us'), undefined);
  assert.equal(names.nameFor(''), undefined);
  assert.equal(names.nameFor(null), undefined);
});

test('without a known country, the national significant number still matches', () => {
  const names = new ContactNameIndex([{ name: 'Dee', phones: ['(919) 888-7386'], emails: [] }]);
  assert.equal(names.country, undefined);
  assert.equal(names.nameFor('+19198887386'), 'Dee');
  assert.equal(names.nameFor('19198887386@s.whatsapp.net'), 'Dee');
});

test('two people sharing a national number in different countries are told apart only by E.164', () => {
  const names = new ContactNameIndex([
    { name: 'US person', phones: ['+1 202 555 0100'], emails: [] },
    { name: 'Other person', phones: ['+61 2025550100'], emails: [] },
  ]);
  assert.equal(names.nameFor('+12025550100'), 'US person');
  assert.equal(names.nameFor('2025550100'), undefined, 'ambiguous national number gives no name');
});

test('helpers', () => {
  assert.equal(phoneFromJid('447700900123@s.whatsapp.net'), '+447700900123');
  assert.equal(phoneFromJid('120363041877520391@g.us'), null);
  assert.equal(phoneKeys('+44 7700 900123').e164, '+447700900123');
  assert.equal(guessCountry([], ['us', 'US', 'fr']), 'US');
  assert.equal(guessCountry(['(415) 555-0100']), undefined);
});
