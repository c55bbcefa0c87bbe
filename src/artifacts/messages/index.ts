import { emptyData, defineReader, type ArtifactData } from '../artifact.js';
import type { Conversation } from '../conversation.js';
import { defineArtifact } from '../declaration.js';
import { problemsOf, readDatabase } from '../read-database.js';
import { detectAttachmentTypes } from '../detect-types.js';
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
  identity: { describe: 'the message guid', keys: [{ table: 'message', columns: ['guid'] }] },
  needsNames: true,
  aliases: [],
  formats: ['html', 'txt', 'csv', 'json'],
  defaultFormats: ['html', 'txt', 'csv', 'json'],
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
  else if (found === 'not-stored')
    problemsOf(data, messagesDeclaration.title).error(
      `the backup lists ${SMS_DOMAIN}/${SMS_PATH} but does not hold its data`,
    );
  return data;
});
