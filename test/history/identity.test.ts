// Each data type's identity across backups, as its declaration gives it: every live record of the demo backup
// has one, no two share one, and the declared fields are fields of the records.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ArtifactData, ArtifactId } from '../../src/artifacts/artifact.js';
import type { Conversation } from '../../src/artifacts/conversation.js';
import type { CrossBackupIdentity } from '../../src/artifacts/declaration.js';
import { keyIdentity } from '../../src/artifacts/identity.js';
import {
  contentFileOf,
  conversationIdentityOf,
  IDENTITIES,
  identityOf,
  isConversationType,
} from '../../src/artifacts/identities.js';
import { ARTIFACT_IDS, declarationOf } from '../../src/artifacts/registry.js';
import { remindersIdentity } from '../../src/artifacts/reminders/index.js';
import { photosIdentity } from '../../src/artifacts/photos/index.js';
import { demoBackupPath } from '../../src/demo/location.js';
import type { DataSource } from '../../src/sources/data-source.js';
import { openSource } from '../../src/sources/open.js';

let source: DataSource;
const data = new Map<ArtifactId, ArtifactData<unknown>>();
before(async () => {
  source = await openSource(demoBackupPath(), async () => ({ password: 'reclaim-demo' }));
  for (const id of ARTIFACT_IDS) data.set(id, await source.readArtifact(id));
});
after(() => source?.dispose());

const unitsOf = (id: ArtifactId): Array<Record<string, unknown>> =>
  isConversationType(id)
    ? (data.get(id)!.items as Conversation[]).flatMap((c) => c.messages as never[])
    : (data.get(id)!.items as Array<Record<string, unknown>>);

test('every data type has an identity function in the registry, built from its declaration', () => {
  assert.deepEqual(Object.keys(IDENTITIES).sort(), [...ARTIFACT_IDS].sort());
  for (const id of ARTIFACT_IDS) {
    const declared: CrossBackupIdentity = declarationOf(id).identity;
    assert.ok(declared.keys.length > 0, id);
    const hasContent = declared.keys.some((k) => 'content' in k);
    assert.equal(typeof IDENTITIES[id].contentFile === 'function', hasContent, id);
    assert.equal(Boolean(declared.conversation), isConversationType(id), id);
  }
});

test('the declared fields are fields of the records read (a column mapped to the record field that holds it)', () => {
  for (const id of ARTIFACT_IDS) {
    const units = unitsOf(id);
    if (!units.length) continue;
    const keys: CrossBackupIdentity['keys'] = declarationOf(id).identity.keys;
    // A column no public schema shows (Voice Memos' ZUNIQUEID) may be absent: the content key stands in.
    const optional = keys.some((k) => 'content' in k);
    for (const key of keys) {
      if (!('fields' in key) || optional) continue;
      const kinded = key.kind ? units.filter((u) => u['kind'] === key.kind) : units;
      if (!kinded.length) continue;
      for (const field of key.fields)
        assert.ok(
          kinded.some((u) => u[field] !== undefined),
          `${id}: no record has the declared field ${field}`,
        );
    }
  }
});

test('every live record of the demo has an identity (or a file to hash), and no two share one', () => {
  for (const id of ARTIFACT_IDS) {
    const live = unitsOf(id).filter((u) => !u['recovered']);
    const keys = live.map((u) => identityOf(id, u as never));
    live.forEach((u, i) => {
      if (keys[i] === null)
        assert.ok(contentFileOf(id, u as never), `${id}: neither identity nor file`);
    });
    const named = keys.filter((k): k is string => k !== null);
    assert.equal(new Set(named).size, named.length, `${id}: identities repeat`);
  }
  assert.match(identityOf('messages', unitsOf('messages')[0] as never)!, /^guid=[0-9A-F-]{36}$/);
  assert.match(identityOf('calls', unitsOf('calls')[0] as never)!, /^uniqueId=/);
  assert.match(identityOf('contacts', unitsOf('contacts')[0] as never)!, /^guid=/);
  assert.match(identityOf('whatsapp', unitsOf('whatsapp')[0] as never)!, /^guid=\w+/);
  assert.match(identityOf('calendar', unitsOf('calendar')[0] as never)!, /^uid=.+&recurrenceId=/);
});

test('chats are named across backups: a group by its guid, a one-to-one chat by the other handle', () => {
  const chats = (data.get('messages')!.items as Conversation[]).map((c) =>
    conversationIdentityOf('messages', c),
  );
  assert.ok(chats.includes('guid=iMessage;+;chat483920175634829104'));
  assert.ok(chats.includes('guid=+14155550123'));
  const wa = (data.get('whatsapp')!.items as Conversation[]).map((c) =>
    conversationIdentityOf('whatsapp', c),
  );
  assert.ok(
    wa.every((k) => /@(s\.whatsapp\.net|g\.us)$/.test(k)),
    wa.join(),
  );
});

test('identity values: local fallbacks are not identities, a recovered copy keeps its record\u2019s identity', () => {
  assert.equal(photosIdentity.of({ id: 'dcim:Media/DCIM/100APPLE/IMG_0001.JPG' } as never), null);
  assert.equal(
    remindersIdentity.of({ uid: 'ABC-recovered-12' } as never),
    remindersIdentity.of({ uid: 'ABC' } as never),
  );
  assert.equal(keyIdentity({ fields: ['a', 'b'] }, { a: null, b: undefined }), null);
  assert.equal(
    keyIdentity({ fields: ['phones'] }, { phones: [{ value: 'b&c' }, { value: 'a=1' }] }),
    'phones=a%3D1,b%26c',
  );
  assert.equal(keyIdentity({ kind: 'tab', fields: ['url'] }, { kind: 'bookmark', url: 'x' }), null);
});
