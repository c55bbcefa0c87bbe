import type { Conversation } from '../artifacts/conversation.js';
import { conversationExporter } from './conversations/index.js';
import type { Exporter } from './exporter.js';

/** WhatsApp: one folder per chat (HTML, TXT, CSV, JSON and the media), via the shared conversation exporter. */
export const whatsAppExporter: Exporter<Conversation> = conversationExporter(
  'whatsapp',
  'WhatsApp',
);
