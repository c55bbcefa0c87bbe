import { conversationsView } from '../components/conversations-view.js';

/** WhatsApp: the conversations, and each one as a chat. */
export const whatsAppView = conversationsView('whatsapp', 'WhatsApp');
