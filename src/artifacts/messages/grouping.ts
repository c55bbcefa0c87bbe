import type { RecoveredMark } from '../artifact.js';
import type { Conversation, ConversationMessage, Participant } from '../conversation.js';

export const RECOVERED_UNKNOWN_TITLE = 'Recovered messages (chat unknown)';
export const UNKNOWN_CHAT_TITLE = 'Messages (chat unknown)';

export interface Chat {
  rowid: number;
  guid: string | null;
  identifier: string | null;
  displayName: string | null;
  isGroup: boolean;
  service: string | null;
  handles: number[];
  recovered?: RecoveredMark;
}

/**
 * Puts messages into conversations: by chat (one-to-one chats with the same person over iMessage, SMS
 * and RCS are one conversation, as on the phone), else by the other person, else in "chat unknown".
 */
export class ConversationGrouper {
  readonly conversations = new Map<string, Conversation>();
  /** Conversations of chats that name no service. */
  private readonly serviceless = new Set<Conversation>();

  constructor(
    private readonly chats: Map<number, Chat>,
    private readonly handleId: (rowid: number) => string | null,
    private readonly legacy: boolean,
  ) {}

  private participantsFor(chat: Chat): Participant[] {
    const ids = chat.handles.map((h) => this.handleId(h)).filter((h): h is string => h !== null);
    if (ids.length === 0 && !chat.isGroup && chat.identifier) ids.push(chat.identifier);
    return [...new Set(ids)].map((handle) => ({ handle }));
  }

  /** A stored chat service; iOS 26 "OneChat" chats ("any") leave it to each message. */
  private static chatService(service: string | null): string | null {
    return service && service.toLowerCase() !== 'any' ? service : null;
  }

  conversationFor(
    chatRowid: number | null,
    message: ConversationMessage,
    peer: string | null,
  ): Conversation {
    const chat = chatRowid !== null ? this.chats.get(chatRowid) : undefined;
    const legacy = this.legacy;
    let key: string;
    let make: () => Conversation;
    if (chat) {
      key = chat.isGroup || !chat.identifier ? `chat:${chat.rowid}` : `with:${chat.identifier}`;
      const chatGuid = chat.isGroup || !chat.identifier ? chat.guid : chat.identifier;
      make = () => ({
        id: String(chat.rowid),
        ...(chatGuid ? { guid: chatGuid } : {}),
        title: chat.displayName,
        isGroup: chat.isGroup,
        participants: this.participantsFor(chat),
        service: ConversationGrouper.chatService(chat.service),
        messages: [],
        ...(chat.recovered ? { recovered: chat.recovered } : {}),
      });
    } else if (message.recovered && !(legacy && chatRowid !== null)) {
      key = 'recovered-unknown';
      make = () => ({
        id: 'recovered-unknown',
        title: RECOVERED_UNKNOWN_TITLE,
        isGroup: false,
        participants: [],
        service: null,
        messages: [],
        recovered: {
          source: 'deleted records of sms.db whose chat is unknown',
          confidence: message.recovered!.confidence,
        },
      });
    } else if (!legacy && peer) {
      key = `with:${peer}`;
      make = () => ({
        id: `handle:${peer}`,
        guid: peer,
        title: null,
        isGroup: false,
        participants: [{ handle: peer }],
        service: message.service,
        messages: [],
      });
    } else if (legacy && chatRowid !== null) {
      key = `group:${chatRowid}`;
      make = () => ({
        id: `group:${chatRowid}`,
        title: null,
        isGroup: false,
        participants: [],
        service: null,
        messages: [],
      });
    } else {
      key = 'unknown';
      make = () => ({
        id: 'unknown',
        title: UNKNOWN_CHAT_TITLE,
        isGroup: false,
        participants: [],
        service: null,
        messages: [],
      });
    }
    let conv = this.conversations.get(key);
    const service = chat ? ConversationGrouper.chatService(chat.service) : null;
    if (!conv) {
      conv = make();
      this.conversations.set(key, conv);
      if (chat && !service) this.serviceless.add(conv);
    } else if (service && conv.service && !conv.service.split('/').includes(service)) {
      conv.service = `${conv.service}/${service}`;
    } else if (service && !conv.service) {
      conv.service = service;
    }
    if (legacy && message.sender && !conv.participants.some((p) => p.handle === message.sender))
      conv.participants.push({ handle: message.sender });
    return conv;
  }

  /** Conversations whose chats name no service ("any" chats of iOS 26) take their messages' services. */
  fillServices(): void {
    for (const conv of this.serviceless) {
      if (conv.service) continue;
      const services = [
        ...new Set(conv.messages.map((m) => m.service).filter((s): s is string => !!s)),
      ];
      if (services.length) conv.service = services.join('/');
    }
  }
}
