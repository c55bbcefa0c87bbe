import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorruptInputError, ExitCode, ReclaimError, WrongPasswordError } from '../../src/errors.js';
import { createApp } from '../../src/server/app.js';
import { UiSession } from '../../src/server/session.js';

const PORT = 4321;

/** A session whose backup listing throws `error`: the route GET /api/backups fails with it. */
class FailingSession extends UiSession {
  constructor(private readonly error: unknown) {
    super({ roots: [], includeDemo: false });
  }
  override discover(): never {
    throw this.error;
  }
}

async function answerTo(error: unknown, path = '/api/backups') {
  const { app } = createApp({ session: new FailingSession(error), token: 'tok', port: () => PORT });
  const host = `127.0.0.1:${PORT}`;
  const login = await app.request('/?token=tok', { headers: { host } });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
  const key = /#key=([\w-]+)$/.exec(String(login.headers.get('location')))?.[1] ?? '';
  const res = await app.request(path, { headers: { host, cookie, 'x-reclaim-key': key } });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

describe('reclaim ui: an error thrown inside a route', () => {
  const cases: [string, unknown, number, { error: string; code: string }][] = [
    ['a plain Error', new Error('disk on fire'), 500, { error: 'disk on fire', code: 'failed' }],
    [
      'not found',
      new ReclaimError('No such thing.', ExitCode.notFound),
      404,
      { error: 'No such thing.', code: 'not-found' },
    ],
    [
      'a usage error',
      new ReclaimError('Give the folder.', ExitCode.usage),
      400,
      { error: 'Give the folder.', code: 'failed' },
    ],
    [
      'bad input',
      new CorruptInputError('Manifest.db is damaged.'),
      400,
      { error: 'Manifest.db is damaged.', code: 'failed' },
    ],
    [
      'a wrong password',
      new WrongPasswordError(),
      403,
      { error: 'Wrong password: it does not unlock this backup.', code: 'wrong-password' },
    ],
    [
      'any other exit code',
      new ReclaimError('Half of it.', ExitCode.partial),
      500,
      { error: 'Half of it.', code: 'failed' },
    ],
    ['something not an Error', 'a bare string', 500, { error: 'a bare string', code: 'failed' }],
  ];
  for (const [name, error, status, body] of cases)
    it(`${name}: ${status} with { error, code } as JSON`, async () => {
      const answer = await answerTo(error);
      assert.equal(answer.status, status);
      assert.match(String(answer.type), /^application\/json/);
      assert.deepEqual(answer.body, body);
    });

  it('an unknown API, job or backup answers 404 in the same shape', async () => {
    const missing = new Error('unused');
    assert.deepEqual(await answerTo(missing, '/api/nothing-here'), {
      status: 404,
      type: 'application/json',
      body: { error: 'No such API.', code: 'not-found' },
    });
    assert.deepEqual((await answerTo(missing, '/api/jobs/none/events')).body, {
      error: 'No such job.',
      code: 'not-found',
    });
    assert.deepEqual((await answerTo(missing, '/api/backups/0123456789ab/files')).body, {
      error: 'No such backup in this session.',
      code: 'not-found',
    });
  });
});
