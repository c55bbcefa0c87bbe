import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Conversation, ConversationMessage } from '../../src/artifacts/conversation.js';
import { ConversationText, originalsOf, pageRange } from '../../src/server/conversations.js';

const message = (i: number, extra: Partial<ConversationMessage> = {}): ConversationMessage => ({
  id: `m${i}`,
  date: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
  fromMe: i % 2 === 0,
  sender: i % 2 === 0 ? null : '+14155550123',
  text: `message number ${i}`,
  service: 'iMessage',
  attachments: [],
  reactions: [],
  ...extra,
});

describe('a thread read in pages: replies and rich messages', () => {
  const messages = Array.from({ length: 1_000 }, (_, i) => message(i));
  messages[900] = message(900, { replyTo: 'm3' });
  messages[901] = message(901, { replyTo: 'm899' });
  messages[902] = message(902, { replyTo: 'gone' });
  messages[5] = message(5, {
    text: null,
    card: { kind: 'poll', label: 'Poll', title: 'Where to eat?', lines: ['Pizza or sushi'] },
  });
  messages[903] = message(903, { replyTo: 'm5' });
  messages[7] = message(7, {
    text: null,
    attachments: [
      {
        domain: 'MediaDomain',
        relativePath: 'Library/SMS/Attachments/a.caf',
        fileName: 'Audio Message.caf',
        mimeType: 'audio/x-caf',
        size: 10,
        present: true,
        kind: 'audio-message',
        transcript: 'Running late, order without me',
      },
    ],
  });
  const thread: Conversation = {
    id: '1',
    title: null,
    isGroup: false,
    participants: [{ handle: '+14155550123' }],
    service: 'iMessage',
    messages,
  };

  it('quotes the originals of replies that are on other pages, and leaves out those not in the thread', () => {
    const [start, end] = pageRange(messages.length, { count: 150 });
    assert.deepEqual([start, end], [850, 1_000]);
    const page = messages.slice(start, end);
    assert.deepEqual(originalsOf(thread, page), {
      m3: 'message number 3',
      m5: 'Where to eat?',
    });
  });

  it('finds what a rich message shows: a card, a transcript', () => {
    const text = new ConversationText([thread]);
    assert.deepEqual(text.search(0, 'SUSHI').hits, [5]);
    assert.deepEqual(text.search(0, 'order without me').hits, [7]);
  });
});
