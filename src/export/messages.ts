import type { Conversation } from '../artifacts/conversation.js';
import { conversationExporter } from './conversations/index.js';
import type { Exporter } from './exporter.js';

/** Messages: one folder per conversation (HTML, TXT, CSV, JSON and the attachments), via the shared conversation exporter. */
export const messagesExporter: Exporter<Conversation> = conversationExporter(
  'messages',
  'Messages',
);
