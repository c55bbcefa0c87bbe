import { whatsAppDeclaration } from '../artifacts/whatsapp/index.js';
import { conversationExporter } from './conversations/index.js';

/** WhatsApp: one folder per chat (HTML, TXT, CSV, JSON and the media), via the shared conversation exporter. */
export const whatsAppExporter = conversationExporter(whatsAppDeclaration, 'WhatsApp');
