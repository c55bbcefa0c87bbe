import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReclaimError } from '../../src/errors.js';
import { maskSource, parseMask } from '../../src/password/candidates/mask.js';
import { parseRule, parseRules, rulesSource } from '../../src/password/candidates/rules.js';
import { parseFragments, rememberCandidates } from '../../src/password/candidates/remember.js';
import { builtinCandidates, COMMON_PINS_4 } from '../../src/password/candidates/builtin.js';
import { loadWordlist } from '../../src/password/candidates/wordlist.js';
import { buildPlan } from '../../src/password/candidates/plan.js';
import { take } from '../../src/password/candidates/source.js';
import { tempDir } from '../support/fixtures.js';

const ROUND_NUMBER = new Date(Date.UTC(2024, 5, 1));

test('mask ?d?d enumerates 00..99 with the last position fastest', () => {
  const source = maskSource('?d?d');
  assert.equal(source.size, 100);
  const all = take(source);
  assert.equal(all.length, 100);
  assert.deepEqual(all.slice(0, 3), ['00', '01', '02']);
  assert.equal(all[99], '99');
  assert.deepEqual(take(source, 3, 57), ['57', '58', '59']);
});

test('mask literals, ?? and custom charsets that use built-in ones', () => {
  assert.deepEqual(take(maskSource('a?1??', ['xy'])), ['ax?', 'ay?']);
  assert.deepEqual(take(maskSource('?1', ['?dz'])), [
    '0',
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '7',
    '8',
    '9',
    'z',
  ]);
  assert.deepEqual(parseMask('?h')[0], [...'0123456789abcdef']);
  assert.equal(parseMask('?a')[0]!.length, 95);
  assert.equal(parseMask('?s')[0]!.length, 33);
  assert.deepEqual(take(maskSource('é?1', ['ñ'])), ['éñ']);
});

test('mask --increment tries every prefix length, shortest first', () => {
  const source = maskSource('?1?d', ['ab'], true);
  assert.equal(source.size, 2 + 20);
  const all = take(source);
  assert.deepEqual(all.slice(0, 4), ['a', 'b', 'a0', 'a1']);
  assert.equal(all.at(-1), 'b9');
  assert.deepEqual(take(source, 2, 3), ['a1', 'a2']);
});

test('a malformed mask is a clear usage error', () => {
  for (const [mask, reason] of [
    ['', /empty/],
    ['?d?', /lone "\?"/],
    ['?x', /unknown charset \?x/],
    ['?1', /-1 is not given/],
    ['?b', /not supported/],
  ] as const) {
    assert.throws(
      () => maskSource(mask),
      (e: unknown) =>
        e instanceof ReclaimError &&
        e.exitCode === 2 &&
        /Malformed mask/.test(e.message) &&
        reason.test(e.message),
      mask,
    );
  }
});

test('rules: case, append/prepend, leet, reverse, duplicate, truncate and more', () => {
  const cases: [string, string, string][] = [
    [':', 'Pass', 'Pass'],
    ['l', 'PaSS', 'pass'],
    ['u', 'pass', 'PASS'],
    ['c', 'pASS', 'Pass'],
    ['C', 'pass', 'pASS'],
    ['t', 'PaSs', 'pAsS'],
    ['T1', 'pass', 'pAss'],
    ['r', 'abc', 'cba'],
    ['d', 'ab', 'abab'],
    ['f', 'ab', 'abba'],
    ['$1 $!', 'pass', 'pass1!'],
    ['^2^1', 'pass', '12pass'],
    ['sa@ so0', 'foobar', 'f00b@r'],
    ["'3", 'password', 'pas'],
    ['[', 'pass', 'ass'],
    [']', 'pass', 'pas'],
    ['D1', 'pass', 'pss'],
    ['@s', 'pass', 'pa'],
    ['p2', 'ab', 'ababab'],
    ['{', 'abc', 'bca'],
    ['}', 'abc', 'cab'],
    ['z2', 'ab', 'aaab'],
    ['Z1', 'ab', 'abb'],
    ['x13', 'password', 'ass'],
    ['i1-', 'ab', 'a-b'],
    ['o0X', 'ab', 'Xb'],
    ['q', 'ab', 'aabb'],
    ['c $2 $0 $2 $4', 'rex', 'Rex2024'],
  ];
  for (const [rule, word, expected] of cases)
    assert.equal(parseRule(rule)(word), expected, `${rule} on ${word}`);
});

test('rules file: comments and blanks skipped; bad rules named with their line', () => {
  assert.equal(parseRules('# best\n:\n\nc\r\n$1\n', 'r.rule').length, 3);
  assert.throws(
    () => parseRules(':\nK\n', 'r.rule'),
    /Bad rule "K" \(r.rule line 2\): unsupported operation "K"/,
  );
  assert.throws(() => parseRule('$'), /missing its argument/);
  assert.throws(() => parseRule('T!'), /position 0-9 or A-Z/);
  assert.throws(() => parseRules('# nothing\n', 'empty.rule'), /holds no rules/);
});

test('wordlist through rules: word by word, repeated results skipped, resumable', () => {
  const source = rulesSource(
    'w',
    ['pass', 'Word'],
    [':', 'l', 'c', '$1'].map((r) => parseRule(r)),
  );
  assert.equal(source.size, 8);
  assert.deepEqual(take(source), ['pass', 'Pass', 'pass1', 'Word', 'word', 'Word1']);
  assert.deepEqual(take(source, Infinity, 5), ['word', 'Word1']);
});

test('wordlists: UTF-8, CRLF, duplicates removed, across lists too; an empty one is an error', () => {
  const dir = tempDir();
  try {
    const a = join(dir.path, 'a.txt');
    const b = join(dir.path, 'b.txt');
    const empty = join(dir.path, 'empty.txt');
    writeFileSync(a, '\uFEFFfoo\r\nbär\r\nfoo\r\n\r\nbaz');
    writeFileSync(b, 'baz\nqux\n');
    writeFileSync(empty, '\r\n\n');
    const seen = new Set<string>();
    assert.deepEqual(loadWordlist(a, seen), ['foo', 'bär', 'baz']);
    assert.deepEqual(loadWordlist(b, seen), ['qux']);
    assert.throws(
      () => loadWordlist(empty),
      (e: unknown) => e instanceof ReclaimError && /is empty/.test(e.message),
    );
    assert.throws(
      () => loadWordlist(join(dir.path, 'missing.txt')),
      (e: unknown) => e instanceof ReclaimError && e.exitCode === 5,
    );
  } finally {
    dir.cleanup();
  }
});

test('remember mode: the words as typed first, then capitalisation, combinations, suffixes, years, leet', () => {
  const all = rememberCandidates(['rex', 'Blue'], ROUND_NUMBER);
  assert.deepEqual(all.slice(0, 3), ['rex', 'Blue', 'rexBlue']);
  assert.equal(new Set(all).size, all.length, 'no duplicates');
  const index = (s: string) => all.indexOf(s);
  for (const expected of [
    'Rex',
    'blue',
    'REX',
    'RexBlue',
    'rex.Blue',
    'Blue_rex',
    'rex blue',
    'Rex-Blue',
    'rex1',
    'Rex!',
    'RexBlue123',
    'rex2024',
    'Blue1987',
    'rexblue87',
    'r3x',
    'Blu3!',
  ]) {
    assert.ok(index(expected) >= 0, `${expected} is generated`);
  }
  assert.ok(index('Rex') < index('rex.Blue'), 'capitalisation before combinations');
  assert.ok(index('rex.Blue') < index('rex1'), 'combinations before suffixes');
  assert.ok(index('rex1') < index('rex2024'), 'common suffixes before years');
  assert.ok(index('rex2024') < index('rex1987'), 'recent years first');
  assert.ok(index('rex1987') < index('r3x'), 'leet last');
  assert.throws(() => parseFragments(' , '), /--remember needs/);
  assert.throws(() => parseFragments('a,b,c,d,e,f,g'), /at most 6/);
});

test('built-in lists: most common PINs first, in frequency order, then years, birthdays, all PINs, walks, dates', () => {
  const all = builtinCandidates(ROUND_NUMBER);
  assert.deepEqual(all.slice(0, 5), ['1234', '1111', '0000', '1212', '7777']);
  assert.deepEqual(all.slice(0, COMMON_PINS_4.length), COMMON_PINS_4);
  assert.deepEqual(all.slice(20, 23), ['2024', '2023', '2022']);
  const index = (s: string) => all.indexOf(s);
  assert.ok(index('2512') < index('5678'), 'day-month before the remaining PINs');
  assert.ok(index('5678') < index('qwerty'));
  assert.ok(index('qwerty') < index('123456'));
  assert.ok(index('123456') < index('250190'), 'common 6-digit PINs before DDMMYY dates');
  assert.ok(index('250190') < index('25011990'), 'short dates before long ones');
  for (const date of ['010203', '12311999', '19991231', '29022000'])
    assert.ok(index(date) >= 0, date);
  assert.equal(index('29022001'), -1, 'no 29 February in 2001');
  assert.equal(new Set(all).size, all.length, 'no duplicates');
  assert.equal(all.filter((c) => /^\d{4}$/.test(c)).length, 10_000);
});

test('a plan puts remembered words first, then wordlists, built-ins, mask', () => {
  const dir = tempDir();
  try {
    const list = join(dir.path, 'w.txt');
    writeFileSync(list, 'alpha\nbeta\n');
    const plan = buildPlan({
      remember: 'zed',
      wordlists: [list],
      builtin: true,
      mask: '?d',
      now: ROUND_NUMBER,
    });
    const all = take(plan.source);
    assert.equal(all[0], 'zed');
    assert.ok(all.indexOf('alpha') > all.indexOf('zed1'));
    assert.ok(all.indexOf('1234') > all.indexOf('beta'));
    assert.deepEqual(all.slice(-10), [...'0123456789']);
    assert.equal(
      take(buildPlan({ now: ROUND_NUMBER }).source, 1)[0],
      '1234',
      'nothing given: the built-in lists',
    );
    assert.throws(() => buildPlan({ rulesFile: list }), /--rules applies to wordlists/);
    assert.notEqual(buildPlan({ mask: '?d' }).fingerprint, buildPlan({ mask: '?d?d' }).fingerprint);
  } finally {
    dir.cleanup();
  }
});
