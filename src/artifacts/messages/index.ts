import { emptyData, defineReader, type ArtifactData } from '../artifact.js';
import type { Conversation } from '../conversation.js';
import { defineArtifact } from '../declaration.js';
import { declaredConversationIdentity } from '../identity.js';
import { problemsOf, readDatabase } from '../read-database.js';
import { detectAttachmentTypes } from '../detect-types.js';
import { SMS_DB_SCHEMA } from './schema.js';
import { readSmsDatabase } from './sms-db.js';

export { attributedBodyText, decodeAttributedString, readTypedstream } from './typedstream.js';
export { RECOVERED_UNKNOWN_TITLE } from './sms-db.js';

/** Messages (SMS, MMS, iMessage, RCS) from HomeDomain Library/SMS/sms.db, as conversations. */
export const messagesDeclaration = defineArtifact({
  id: 'messages',
  title: 'Messages',
  locations: {
    database: {
      domain: 'HomeDomain',
      path: 'Library/SMS/sms.db',
      kind: 'database',
      naturalKey: [
        { table: 'message', columns: ['guid'] },
        { table: 'chat', columns: ['guid'] },
        { table: 'attachment', columns: ['guid'] },
      ],
      schema: SMS_DB_SCHEMA,
    },
    attachments: {
      domain: 'MediaDomain',
      path: 'Library/SMS/Attachments/**',
      kind: 'media',
      catalog: 'Message attachments',
    },
    /** Files attachments may name besides Attachments/ (stickers, previews). */
    otherFiles: { domain: 'MediaDomain', path: 'Library/SMS/**', kind: 'media', catalog: false },
  },
  identity: {
    describe: 'the message guid; the chat by its guid (one-to-one: the other handle)',
    keys: [{ fields: ['guid'], from: { table: 'message', columns: ['guid'] } }],
    conversation: [
      { fields: ['guid'], from: { table: 'chat', columns: ['guid'] } },
      { fields: ['participants'] },
    ],
  },
  needsNames: true,
  aliases: [],
  formats: ['html', 'txt', 'csv', 'json'],
  defaultFormats: ['html', 'txt', 'csv', 'json'],
});

/** Each message by its guid; recovered rows whose guid was overwritten have none and match nothing. */
export const messagesIdentity = declaredConversationIdentity(messagesDeclaration, {
  volatile: ['id', 'dateRead', 'dateDelivered'],
});

const { database, attachments } = messagesDeclaration.locations;
const SMS_DOMAIN = database.domain;
const SMS_PATH = database.path;

export const messagesArtifact = defineReader(messagesDeclaration, async (source, options) => {
  const data = emptyData<Conversation>('messages');
  data.notInBackup.push(
    'Messages kept only in iCloud (Messages in iCloud with "Optimise storage") and attachments offloaded from the phone are not in a computer backup.',
  );
  const found = await readDatabase(
    source,
    database,
    data,
    { title: messagesDeclaration.title, recoverDeleted: options.recoverDeleted },
    (db, problems) => {
      const result = readSmsDatabase(db, source, options, attachments.domain, problems);
      data.items = result.conversations;
      (data.missing ??= []).push(...result.unlisted);
      if (result.expiredAudio > 0)
        data.notInBackup.push(
          `${result.expiredAudio} audio message${result.expiredAudio === 1 ? '' : 's'} expired (not kept), so ${result.expiredAudio === 1 ? 'its recording is' : 'their recordings are'} gone from the phone by design.`,
        );
      if (result.deletedListed > 0) {
        data.notInBackup.push(
          `sms.db lists ${result.deletedListed} deleted message${result.deletedListed === 1 ? '' : 's'} by id only (their text is gone from the table)${options.recoverDeleted !== false ? `; ${result.carved} message${result.carved === 1 ? ' was' : 's were'} recovered from deleted space` : ''}.`,
        );
      }
    },
  );
  await detectAttachmentTypes(source, data.items);
  if (found === 'absent')
    data.notInBackup.push(`This backup has no Messages database (${SMS_DOMAIN}/${SMS_PATH}).`);
  return data;
});
