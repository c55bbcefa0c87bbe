import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bool, bytes, date, get, num, str, text } from '../../src/artifacts/sql-values.js';

test('num: finite numbers from numbers, bigints and numeric text; null for the rest', () => {
  assert.equal(num(42), 42);
  assert.equal(num(9007199254740993n), 9007199254740992);
  assert.equal(num('12.5'), 12.5);
  for (const v of [null, undefined, '', 'abc', Buffer.from('12'), NaN, Infinity, {}, true])
    assert.equal(num(v), null, String(v));
});

test('str: text as stored; numbers in decimal; UTF-8 blobs decoded, binary blobs null', () => {
  assert.equal(str('  spaced  '), '  spaced  ');
  assert.equal(str(''), null);
  assert.equal(str(12), '12');
  assert.equal(str(5n), '5');
  assert.equal(str(Buffer.from('grüße\0\0')), 'grüße');
  assert.equal(str(Buffer.from([0xff, 0xfe, 0x00])), null);
  assert.equal(str(Buffer.from('bplist00\u0001\u0002')), null);
  assert.equal(str(Buffer.alloc(0)), null);
  assert.equal(str(null), null);
});

test('text: str trimmed, null when blank', () => {
  assert.equal(text('  Mobile \0'), 'Mobile');
  assert.equal(text('   '), null);
  assert.equal(text(Buffer.from(' +1 555 0100 ')), '+1 555 0100');
  assert.equal(text(7), '7');
});

test('bool, bytes, date and get', () => {
  assert.equal(bool(1), true);
  assert.equal(bool(2), true);
  assert.equal(bool(0), false);
  assert.equal(bool(null), false);
  assert.equal(bool('1'), true);
  assert.equal(bytes(Buffer.alloc(0)), null);
  assert.deepEqual(bytes(Buffer.from([1])), Buffer.from([1]));
  assert.equal(bytes('x'), null);
  assert.equal(date(0), null);
  assert.equal(date(null), null);
  assert.equal(date(1)?.toISOString(), '2001-01-01T00:00:01.000Z');
  // Nanoseconds since 2001 (sms.db since iOS 11).
  assert.equal(date(1e9 * 86400)?.toISOString(), '2001-01-02T00:00:00.000Z');
  assert.equal(date(86400, 'unix')?.toISOString(), '1970-01-02T00:00:00.000Z');
  assert.equal(date(1e300, 'unix'), null);
  assert.equal(get({ ZDATE: 5 }, 'zdate'), 5);
  assert.equal(get({ ZDATE: 5 }, 'ZOTHER'), null);
});
