import { conversationsView } from '../components/conversations-view.js';

/** Messages: the conversations, and each one as a chat. */
export const messagesView = conversationsView('messages', 'Messages');
