import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHashLine, type HashTarget } from '../../src/password/hash-line.js';
import { recoverPassword, type RecoverResult } from '../../src/password/recover.js';
import type { PlanOptions } from '../../src/password/candidates/plan.js';
import { readCheckpoint } from '../../src/password/checkpoint.js';
import { ReclaimError } from '../../src/errors.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';
import { lowDpicTarget } from './helpers/targets.js';
import { benchTarget } from '../../src/password/benchmark.js';

const dir = tempDir('reclaim-password-');
test.after(() => dir.cleanup());
let files = 0;

function wordlist(words: string[]): string {
  const path = join(dir.path, `words-${files++}.txt`);
  writeFileSync(path, `${words.join('\r\n')}\r\n`);
  return path;
}

function recover(
  target: HashTarget,
  plan: PlanOptions,
  extra: Partial<Parameters<typeof recoverPassword>[0]> = {},
): Promise<RecoverResult> {
  return recoverPassword({
    target,
    plan,
    sessionPath: join(dir.path, `session-${files++}.json`),
    ...extra,
  });
}

interface Vector {
  source: string;
  password: string;
  hash: string;
}
function vectors(): Vector[] {
  return readFileSync(fixture('password-vectors.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [source, password, hash] = l.split('\t') as [string, string, string];
      return { source, password, hash };
    });
}
const SLOW_DPIC = 100_000;

test(
  'every fast vector is recovered from a short wordlist holding it, and rejected when the list lacks it',
  needsFixtures(),
  async () => {
    for (const v of vectors().filter((x) => (parseHashLine(x.hash).dpic ?? 0) < SLOW_DPIC)) {
      const target = parseHashLine(v.hash);
      const hit = await recover(target, {
        wordlists: [wordlist(['letmein', v.password, 'dragon'])],
      });
      assert.deepEqual([hit.found, hit.password], [true, v.password], v.source);
      const miss = await recover(target, {
        wordlists: [wordlist(['letmein', `${v.password}x`, 'dragon'])],
      });
      assert.deepEqual([miss.found, miss.password, miss.tried], [false, null, 3], v.source);
    }
  },
);

test(
  'the real-DPIC (10,000,000 rounds) vectors fall to their password and reject the word before it',
  needsFixtures(),
  async () => {
    for (const v of vectors().filter((x) => (parseHashLine(x.hash).dpic ?? 0) >= SLOW_DPIC)) {
      const result = await recover(parseHashLine(v.hash), {
        wordlists: [wordlist(['wrong-guess', v.password])],
      });
      assert.deepEqual([result.found, result.password], [true, v.password], v.source);
    }
  },
);

test(
  'every vector password also works on generated low-DPIC keybags, both versions',
  needsFixtures(),
  async () => {
    for (const [i, v] of vectors().entries()) {
      for (const dpic of [1000 + i, null]) {
        const { target } = lowDpicTarget(v.password, dpic, 100);
        const words = wordlist(['alpha', v.password]);
        assert.equal((await recover(target, { wordlists: [words] })).password, v.password);
        assert.equal(
          (await recover(target, { wordlists: [wordlist(['alpha', 'beta'])] })).found,
          false,
        );
      }
    }
  },
);

test('masks, rules and remember mode find passwords through the engine', async () => {
  const { target } = lowDpicTarget('Rex2019!');
  const rules = join(dir.path, 'best.rule');
  writeFileSync(rules, ':\nc\nc $2 $0 $1 $9 $!\n');
  assert.equal(
    (await recover(target, { wordlists: [wordlist(['fido', 'rex'])], rulesFile: rules })).password,
    'Rex2019!',
  );
  assert.equal(
    (await recover(target, { remember: 'rex, 2019' })).password,
    'Rex2019!',
    'joined, capitalised, with a suffix',
  );
  const pin = lowDpicTarget('0815', 1000).target;
  const viaMask = await recover(pin, { mask: '?d?d?d?d' });
  assert.deepEqual([viaMask.password, viaMask.tried >= 816], ['0815', true]);
  const word = lowDpicTarget('Blue.rex', 1000).target;
  assert.equal((await recover(word, { remember: 'rex,blue' })).password, 'Blue.rex');
  const walk = lowDpicTarget('ab7', null).target;
  assert.equal((await recover(walk, { mask: '?l?l?d', increment: true })).password, 'ab7');
});

test('a search that cannot finish is refused with its size and ETA unless forced', async () => {
  const target = benchTarget(10_000_000);
  await assert.rejects(
    recover(target, { mask: '?a?a?a?a?a?a' }),
    (e: unknown) =>
      e instanceof ReclaimError &&
      e.exitCode === 2 &&
      /735,091,890,625 candidates: about .* years at .* guesses\/s/.test(e.message) &&
      /--force/.test(e.message),
  );
});

test('a stopped search saves its position (not the candidates) and --resume goes on from there', async () => {
  const password = '377';
  const { target } = lowDpicTarget(password, 200_000);
  const sessionPath = join(dir.path, 'resume.json');
  const plan: PlanOptions = { mask: '?d?d?d' };
  const stop = new AbortController();
  const first = await recoverPassword({
    target,
    plan,
    sessionPath,
    threads: 2,
    signal: stop.signal,
    onProgress: (p) => {
      if (p.tried > 0) stop.abort();
    },
  });
  assert.equal(first.stopped, true);
  assert.equal(first.found, false);
  const saved = readCheckpoint(sessionPath)!;
  assert.ok(saved.position > 0 && saved.position < 377, `saved at ${saved.position}`);
  assert.equal(saved.tried, first.tried);
  assert.doesNotMatch(
    readFileSync(sessionPath, 'utf8'),
    /377|\?d/,
    'no candidates or options in clear',
  );
  let resumedAt: number | null = null;
  const second = await recoverPassword({
    target,
    plan,
    sessionPath,
    resume: true,
    onStart: (i) => {
      resumedAt = i.resumedAt;
    },
  });
  assert.equal(resumedAt, saved.position);
  assert.deepEqual([second.found, second.password], [true, password]);
  assert.ok(second.tried > saved.tried && second.tried <= 378 + 200, `tried ${second.tried}`);
  assert.equal(
    readCheckpoint(sessionPath),
    null,
    'the session is removed once the password is found',
  );
  await assert.rejects(
    recoverPassword({ target, plan, sessionPath, resume: true }),
    /no saved session/,
  );
});

test('--resume refuses a session of another target or other options', async () => {
  const { target } = lowDpicTarget('zz', 1000);
  const sessionPath = join(dir.path, 'other.json');
  const stop = new AbortController();
  stop.abort();
  await recoverPassword({ target, plan: { mask: '?l?l' }, sessionPath, signal: stop.signal });
  assert.ok(readCheckpoint(sessionPath));
  await assert.rejects(
    recoverPassword({ target, plan: { mask: '?l?l?l' }, sessionPath, resume: true }),
    /other candidate options/,
  );
  await assert.rejects(
    recoverPassword({
      target: lowDpicTarget('zz').target,
      plan: { mask: '?l?l' },
      sessionPath,
      resume: true,
    }),
    /another backup or hash/,
  );
});
