import { CHAT_STORAGE_SCHEMA, CONTACTS_V2_SCHEMA } from './schema.js';
import { emptyData, defineReader } from '../artifact.js';
import type { Conversation } from '../conversation.js';
import { defineArtifact } from '../declaration.js';
import { declaredConversationIdentity } from '../identity.js';
import { held, readDatabase } from '../read-database.js';
import { readChatStorage } from './chat-storage.js';
import { readContactNames } from './contacts.js';

const SHARED = 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared';
/** WhatsApp Business keeps the same files in its own app group (WhatsApp-Chat-Exporter utility.py, #143, #203). */
const BUSINESS = 'AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared';

/** WhatsApp and WhatsApp Business: ChatStorage.sqlite, ContactsV2.sqlite and the media of each app group. */
export const whatsAppDeclaration = defineArtifact({
  id: 'whatsapp',
  title: 'WhatsApp',
  locations: {
    chats: {
      domain: SHARED,
      path: 'ChatStorage.sqlite',
      kind: 'database',
      naturalKey: [
        { table: 'ZWAMESSAGE', columns: ['ZSTANZAID'] },
        { table: 'ZWACHATSESSION', columns: ['ZCONTACTJID'] },
        { table: 'ZWAMEDIAITEM', columns: ['ZMESSAGE'] },
      ],
      schema: CHAT_STORAGE_SCHEMA,
    },
    /** Names from WhatsApp's address book; may be absent (WhatsApp-Chat-Exporter #76, #109, #215). */
    contacts: {
      domain: SHARED,
      path: 'ContactsV2.sqlite',
      kind: 'database',
      companion: true,
      schema: CONTACTS_V2_SCHEMA,
    },
    media: { domain: SHARED, path: 'Message/**', kind: 'media', catalog: false },
    /** Media paths some versions store relative to the container itself. */
    containerMedia: { domain: SHARED, path: '**', kind: 'media', catalog: false },
    businessChats: {
      domain: BUSINESS,
      path: 'ChatStorage.sqlite',
      kind: 'database',
      catalog: 'WhatsApp Business',
      naturalKey: [
        { table: 'ZWAMESSAGE', columns: ['ZSTANZAID'] },
        { table: 'ZWACHATSESSION', columns: ['ZCONTACTJID'] },
        { table: 'ZWAMEDIAITEM', columns: ['ZMESSAGE'] },
      ],
      schema: CHAT_STORAGE_SCHEMA,
    },
    businessContacts: {
      domain: BUSINESS,
      path: 'ContactsV2.sqlite',
      kind: 'database',
      companion: true,
      catalog: 'WhatsApp Business',
      schema: CONTACTS_V2_SCHEMA,
    },
    businessMedia: { domain: BUSINESS, path: '**', kind: 'media', catalog: false },
  },
  identity: {
    describe: 'the message stanza id; the chat by its JID',
    keys: [{ fields: ['guid'], from: { table: 'ZWAMESSAGE', columns: ['ZSTANZAID'] } }],
    conversation: [
      { fields: ['guid'], from: { table: 'ZWACHATSESSION', columns: ['ZCONTACTJID'] } },
      { fields: ['participants'] },
    ],
  },
  needsNames: true,
  aliases: [],
  formats: ['html', 'txt', 'csv', 'json'],
  defaultFormats: ['html', 'txt', 'csv', 'json'],
});

/** Each message by its stanza id (kept as the message's guid); the chat by its JID. */
export const whatsAppIdentity = declaredConversationIdentity(whatsAppDeclaration, {
  volatile: ['id'],
});

export const WHATSAPP_DOMAIN = whatsAppDeclaration.locations.chats.domain;
export const CHAT_STORAGE = whatsAppDeclaration.locations.chats.path;

export { mediaCandidates } from './chat-storage.js';
export { WA_TYPE } from './kinds.js';

const ACCOUNTS = [
  { chats: 'chats', contacts: 'contacts', account: null },
  { chats: 'businessChats', contacts: 'businessContacts', account: 'WhatsApp Business' },
] as const;

export const whatsAppArtifact = defineReader(whatsAppDeclaration, async (source, options) => {
  const data = emptyData<Conversation>('whatsapp');
  const { locations } = whatsAppDeclaration;
  let anyHeld = false;
  let anyListed = false;
  let states = 0;
  for (const { chats, contacts, account } of ACCOUNTS) {
    const title = account ?? whatsAppDeclaration.title;
    // Names from ContactsV2.sqlite first: it may be missing, which costs names, never the chats.
    const names = new Map<string, string>();
    const contactsFound = await readDatabase(
      source,
      locations[contacts],
      data,
      {
        title: whatsAppDeclaration.title,
        recoverDeleted: false,
        optional: `${title} contacts (ContactsV2.sqlite) not read`,
      },
      (db) => {
        for (const [jid, name] of readContactNames(db)) names.set(jid, name);
      },
    );
    const found = await readDatabase(
      source,
      locations[chats],
      data,
      { title: whatsAppDeclaration.title, recoverDeleted: options.recoverDeleted },
      (db, problems) => {
        if (!db.hasTable('ZWAMESSAGE')) {
          problems.error(
            `${db.label} has no ZWAMESSAGE table (an unknown WhatsApp version?): no messages read`,
          );
          return;
        }
        const result = readChatStorage(
          db,
          problems,
          source,
          options,
          locations[chats].domain,
          names,
          account,
        );
        data.items.push(...result.conversations);
        (data.missing ??= []).push(...result.unlisted);
        states += result.states;
        if (contactsFound === 'absent')
          problems.warn(
            `${account ? `${account}: ` : ''}ContactsV2.sqlite is not in this backup (${locations[contacts].domain}/${locations[contacts].path}); names come from WhatsApp's own chat and push names`,
          );
      },
    );
    if (held(found)) anyHeld = true;
    if (found !== 'absent') anyListed = true;
  }
  if (anyHeld) {
    data.notInBackup.push(
      'WhatsApp media that was never downloaded, or that was offloaded to iCloud, is listed but not in the backup.',
    );
    if (states > 0)
      data.notInBackup.push(
        'WhatsApp keeps when a sent message was delivered and read in a form no public parser decodes: each sent message\u2019s state (sent, delivered, read) is exported instead of those times.',
      );
  } else if (!anyListed)
    data.notInBackup.push(
      'This backup holds no WhatsApp chats (ChatStorage.sqlite): WhatsApp is not installed, or its data was not backed up.',
    );
  return data;
});
