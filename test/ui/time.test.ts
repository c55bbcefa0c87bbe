import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startUiServer } from '../../src/server/index.js';
import { localZone } from '../../src/time.js';
import { formatDay, formatTime, setTimeSettings, zoneNote } from '../../web/src/time.js';
import { tempDir } from '../support/fixtures.js';
import { login, raw } from './helpers.js';

async function timeOf(utc: boolean): Promise<unknown> {
  const temp = tempDir();
  const server = await startUiServer({ roots: [temp.path], includeDemo: false, utc });
  try {
    const auth = await login(server.launchUrl);
    const res = await raw(`${server.url}api/time`, { headers: auth.headers });
    return JSON.parse(res.body.toString('utf8'));
  } finally {
    await server.close();
    temp.cleanup();
  }
}

test("the UI server names its clock: this computer's zone, or UTC with --utc", async () => {
  assert.deepEqual(await timeOf(false), { zone: localZone(), utc: false });
  assert.deepEqual(await timeOf(true), { zone: 'UTC', utc: true });
});

test('the page shows times in the zone the server names, and says which once', () => {
  const when = '2024-01-15T01:43:08Z';
  setTimeSettings({ zone: 'America/New_York', utc: false });
  assert.equal(formatTime(when), '2024-01-14 20:43');
  assert.match(formatDay(when), /14/);
  assert.equal(zoneNote(), "Times in America/New_York (this computer's time zone)");
  setTimeSettings({ zone: 'UTC', utc: true });
  assert.equal(formatTime(when), '2024-01-15 01:43 UTC');
  assert.match(formatDay(when), /15/);
  assert.equal(zoneNote(), 'Times in UTC');
});
