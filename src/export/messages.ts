import { messagesDeclaration } from '../artifacts/messages/index.js';
import { conversationExporter } from './conversations/index.js';

/** Messages: one folder per conversation (HTML, TXT, CSV, JSON and the attachments), via the shared conversation exporter. */
export const messagesExporter = conversationExporter(messagesDeclaration, 'Messages');
