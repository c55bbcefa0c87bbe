import type { KnownColumns } from '../known-columns.js';

/**
 * The ChatStorage.sqlite columns the WhatsApp reader uses. Its schema follows the app's Core Data model,
 * not iOS; every column here is in the real iOS-15-era file (../shared/fixtures/databases/
 * ios15-whatsapp-ChatStorage.sqlite) and in what WhatsApp-Chat-Exporter, IPED and iLEAPP read from
 * current versions, so `since` is one generation for all.
 */
const col = (feeds: string) => ({ since: 15, feeds });

export const WA_MESSAGE_COLUMNS: KnownColumns = {
  Z_PK: col('message ids'),
  ZCHATSESSION: col('which chat a message is in'),
  ZISFROMME: col('who sent each message'),
  ZMESSAGETYPE: col('what kind each message is'),
  ZGROUPEVENTTYPE: col('what a system line says'),
  ZGROUPMEMBER: col('senders in groups'),
  ZMEDIAITEM: col('attachments'),
  ZMESSAGEINFO: col('reactions and polls'),
  ZMESSAGEDATE: col('message dates'),
  ZSENTDATE: col('sent dates'),
  ZFROMJID: col('senders'),
  ZTOJID: col('the owner\u2019s own address'),
  ZTEXT: col('message texts'),
  ZSTANZAID: col('which message a reply quotes'),
  ZMESSAGESTATUS: col('sent, delivered and read states'),
};

export const WA_CHAT_COLUMNS: KnownColumns = {
  Z_PK: col('chat ids'),
  ZCONTACTJID: col('who a chat is with'),
  ZPARTNERNAME: col('chat names'),
  ZSESSIONTYPE: col('group detection'),
};

export const WA_MEMBER_COLUMNS: KnownColumns = {
  Z_PK: col('group members'),
  ZCHATSESSION: col('which group a member is in'),
  ZMEMBERJID: col('group members\u2019 addresses'),
  ZCONTACTNAME: col('group members\u2019 names'),
  ZFIRSTNAME: col('group members\u2019 first names'),
};

export const WA_MEDIA_COLUMNS: KnownColumns = {
  Z_PK: col('attachments'),
  ZMESSAGE: col('which message an attachment belongs to'),
  ZMEDIALOCALPATH: col('where attachment files are'),
  ZFILESIZE: col('attachment sizes'),
  ZTITLE: col('captions and place names'),
  ZLATITUDE: col('location latitudes'),
  ZLONGITUDE: col('location longitudes'),
  ZVCARDNAME: col('contact card names'),
  ZVCARDSTRING: col('contact cards and media types'),
  ZMEDIAURL: col('names of media never downloaded'),
  ZMETADATA: col('quoted replies and call lengths'),
};

export const WA_INFO_COLUMNS: KnownColumns = {
  Z_PK: col('reactions'),
  ZMESSAGE: col('which message reactions belong to'),
  ZRECEIPTINFO: col('reactions and poll options'),
};
