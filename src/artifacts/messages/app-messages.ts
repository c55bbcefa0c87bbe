import { decodeKeyedArchive } from '../../backup/nskeyedarchiver.js';
import { ProtoMessage } from '../notes/protobuf.js';
import type { MessageCard, PollOption } from '../conversation.js';
import { handwritingSvg, readHandwriting } from './handwriting.js';

/**
 * App and rich messages (message.balloon_bundle_id + payload_data) as the bubble showed them. Which
 * bundle id is what, and the payload keys, as imessage-exporter reads them (imessage-database
 * message_types/{app,url,collaboration,variants}.rs, util/bundle_id.rs; exporters/shared/balloon.rs);
 * polls (iOS 26) as its message_types/polls.rs reads them (a "data:," URL holding base64url JSON).
 * payload_data is an NSKeyedArchiver plist, decoded by the bounded decoder of src/backup.
 */

export interface AppContent {
  card: MessageCard;
  /** The payload was there but could not be read (one problem line counts these). */
  unreadable?: boolean;
}

/** A poll and the votes it may receive (associated_message_type 4000 rows point at it). */
export interface PollDraft {
  question: string | null;
  /** option id → option */
  options: Map<string, PollOption>;
}

/** "com.apple.messages.MSMessageExtensionBalloonPlugin:TEAMID:bundle" → bundle (imessage-exporter parse_balloon_bundle_id). */
export function appBundleId(balloon: string): string {
  const parts = balloon.split(':');
  return parts.length === 1 ? parts[0]! : (parts[2] ?? parts[0]!);
}

const URL_PROVIDER = 'com.apple.messages.URLBalloonProvider';
const HANDWRITING = 'com.apple.Handwriting.HandwritingProvider';
const DIGITAL_TOUCH = 'com.apple.DigitalTouchBalloonProvider';
const POLLS = 'com.apple.messages.Polls';

const LABELS: Record<string, { kind: string; label: string }> = {
  'com.apple.PassbookUIService.PeerPaymentMessagesExtension': {
    kind: 'apple-pay',
    label: 'Apple Pay',
  },
  'com.apple.ActivityMessagesApp.MessagesExtension': { kind: 'fitness', label: 'Fitness' },
  'com.apple.mobileslideshow.PhotosMessagesApp': { kind: 'photos', label: 'Photos' },
  'com.apple.SafetyMonitorApp.SafetyMonitorMessages': { kind: 'check-in', label: 'Check In' },
  'com.apple.findmy.FindMyMessagesApp': { kind: 'find-my', label: 'Find My' },
  'com.apple.icloud.apps.messages.business.extension': {
    kind: 'business',
    label: 'Business Chat',
  },
};

const DIGITAL_TOUCH_KINDS: Record<number, string> = {
  1: 'Tap',
  3: 'Heartbeat',
  4: 'Sketch',
  7: 'Kiss',
  8: 'Fireball',
};

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() ? v.replace(/\u00a0/g, ' ') : undefined;
  if (isDict(v)) return text(v['NS.relative'] ?? v['NS.string']);
  return undefined;
};
const compact = (...values: Array<string | undefined>): string[] =>
  values.filter((v): v is string => v !== undefined && v !== '');

/** What the bubble of an app message showed. `textUrl` is the message text when it is a link. */
export function appContent(
  balloon: string,
  payload: Buffer | null,
  textUrl: string | null,
): AppContent {
  const bundle = appBundleId(balloon);
  if (bundle === HANDWRITING) return handwriting(payload);
  if (bundle === DIGITAL_TOUCH) return digitalTouch(payload);
  let root: unknown = null;
  let unreadable = false;
  if (payload && payload.length > 0) {
    try {
      root = decodeKeyedArchive(payload);
    } catch {
      unreadable = true;
    }
  }
  const missing = !payload || payload.length === 0;
  const note = unreadable
    ? 'the content of this app message could not be read'
    : missing
      ? 'the database holds no content for this app message'
      : undefined;
  const withNote = (card: MessageCard): AppContent => ({
    card: note && !card.note ? { ...card, note } : card,
    ...(unreadable ? { unreadable } : {}),
  });
  if (bundle === URL_PROVIDER) return withNote(linkCard(isDict(root) ? root : {}, textUrl));
  if (bundle === POLLS) {
    const poll = isDict(root) ? pollFrom(root) : null;
    return withNote({
      kind: 'poll',
      label: 'Poll',
      ...(poll?.question ? { title: poll.question } : {}),
      options: poll ? [...poll.options.values()] : [],
    });
  }
  const dict = isDict(root) ? root : {};
  const info = isDict(dict.userInfo) ? dict.userInfo : {};
  const known = LABELS[bundle];
  const appName = text(dict.an);
  const ldtext = text(dict.ldtext)?.replace(
    /^\$\(kIMTranscriptPluginBreadcrumbTextReceiverIdentifier\)/,
    'You',
  );
  const caption = text(info.caption);
  const url = text(dict.URL);
  const card: MessageCard = {
    kind: known?.kind ?? 'app',
    label: known?.label ?? appName ?? bundle,
  };
  const title = text(info['image-title']) ?? ldtext ?? caption;
  if (title) card.title = title;
  const lines = compact(
    text(info['image-subtitle']),
    caption !== title ? caption : undefined,
    text(info.subcaption),
    text(info['secondary-subcaption']),
    text(info['tertiary-subcaption']),
  );
  if (lines.length) card.lines = lines;
  if (known?.kind === 'check-in') {
    const times = checkInTimes(url);
    if (times.length) card.times = times;
  } else if (url && /^https?:\/\//i.test(url)) card.url = url;
  return withNote(card);
}

/** Link previews and the URL provider's other uses (collaboration invitations). */
function linkCard(root: Dict, textUrl: string | null): MessageCard {
  const meta = isDict(root.richLinkMetadata) ? root.richLinkMetadata : root;
  const collaboration = isDict(meta.collaborationMetadata) ? meta.collaborationMetadata : null;
  const url = text(meta.URL) ?? text(meta.originalURL) ?? textUrl ?? undefined;
  if (collaboration) {
    const spec = isDict(meta.specialization2) ? meta.specialization2 : {};
    const inner = isDict(spec.specialization) ? spec.specialization : {};
    const app = text(inner.application);
    const link = text(collaboration.collaborationIdentifier) ?? text(meta.originalURL) ?? url;
    return {
      kind: 'collaboration',
      label: 'Collaboration invitation',
      ...(text(collaboration.title) ? { title: text(collaboration.title)! } : {}),
      ...(app ? { lines: [app] } : {}),
      ...(link ? { url: link } : {}),
    };
  }
  const lines = compact(text(meta.summary), text(meta.siteName));
  return {
    kind: 'link',
    label: 'Link',
    ...(text(meta.title) ? { title: text(meta.title)! } : {}),
    ...(lines.length ? { lines } : {}),
    ...(url ? { url } : {}),
  };
}

/**
 * Check In times: the URL's query holds estimatedEndTime, triggerTime or sendDate as seconds since 1970
 * (Unix), unlike message.date (nanoseconds since 2001): imessage-exporter #202 fixed its dates by
 * reading them with epoch offset 0 (app.rs check_in_kind, get_local_time(.., 0)).
 */
function checkInTimes(url: string | undefined): Array<{ label: string; date: Date }> {
  if (!url) return [];
  const query = new URLSearchParams(url.replace(/^[^?]*\?/, ''));
  const out: Array<{ label: string; date: Date }> = [];
  for (const [key, label] of [
    ['estimatedEndTime', 'Expected at'],
    ['triggerTime', 'Was expected at'],
    ['sendDate', 'Checked in at'],
  ] as const) {
    const seconds = Number(query.get(key));
    if (!query.has(key) || !Number.isFinite(seconds) || seconds <= 0 || seconds > 1e11) continue;
    out.push({ label, date: new Date(seconds * 1000) });
    break;
  }
  return out;
}

/** The poll JSON inside a Polls payload's "data:," URL (base64url, optionally followed by "?..."). */
function pollJson(root: Dict): Dict | null {
  const url = text(root.URL);
  if (!url?.startsWith('data:,')) return null;
  const data = url.slice('data:,'.length).split('?')[0]!;
  if (data.length > 4_000_000) return null;
  for (const decode of [
    () => Buffer.from(data, 'base64url').toString('utf8'),
    () => decodeURIComponent(data),
  ]) {
    try {
      const parsed: unknown = JSON.parse(decode());
      if (isDict(parsed) && isDict(parsed.item)) return parsed.item;
    } catch {
      // try the next form
    }
  }
  return null;
}

export function pollFrom(root: Dict): PollDraft | null {
  const item = pollJson(root);
  if (!item || !Array.isArray(item.orderedPollOptions)) return null;
  const options = new Map<string, PollOption>();
  for (const o of item.orderedPollOptions.slice(0, 1000)) {
    if (!isDict(o)) continue;
    const id = typeof o.optionIdentifier === 'string' ? o.optionIdentifier : String(options.size);
    options.set(id, { text: text(o.text) ?? text(o.attributedText) ?? '', voters: [] });
  }
  return { question: text(item.title) ?? null, options };
}

/** A vote row's payload: who chose which options (item.votes[{participantHandle, voteOptionIdentifier}]). */
export function pollVotes(payload: Buffer | null): Array<{ voter: string; option: string }> | null {
  if (!payload) return null;
  let root: unknown;
  try {
    root = decodeKeyedArchive(payload);
  } catch {
    return null;
  }
  const item = isDict(root) ? pollJson(root) : null;
  if (!item || !Array.isArray(item.votes)) return null;
  return item.votes
    .slice(0, 1000)
    .filter(isDict)
    .map((v) => ({
      voter: typeof v.participantHandle === 'string' ? v.participantHandle : '',
      option: typeof v.voteOptionIdentifier === 'string' ? v.voteOptionIdentifier : '',
    }))
    .filter((v) => v.option !== '');
}

function handwriting(payload: Buffer | null): AppContent {
  const card: MessageCard = { kind: 'handwriting', label: 'Handwritten message' };
  if (!payload || payload.length === 0)
    return { card: { ...card, note: 'the database holds no strokes for it' } };
  const drawing = readHandwriting(payload);
  if ('unreadable' in drawing)
    return {
      card: { ...card, note: `the drawing is not shown: ${drawing.unreadable}` },
      unreadable: true,
    };
  return { card: { ...card, svg: handwritingSvg(drawing) } };
}

/** Digital Touch (imessage-exporter digital_touch.proto): 1 kind, 3 kind's payload; heartbeat 1 = bpm. */
function digitalTouch(payload: Buffer | null): AppContent {
  const card: MessageCard = { kind: 'digital-touch', label: 'Digital Touch' };
  if (!payload || payload.length === 0) return { card };
  try {
    const base = new ProtoMessage(payload);
    const kind = base.int(1) ?? 0;
    card.title = DIGITAL_TOUCH_KINDS[kind] ?? `kind ${kind}`;
    if (kind === 3) {
      const beat = base.message(3);
      const raw = beat?.bigint(1);
      if (raw !== undefined) {
        const b = Buffer.alloc(4);
        b.writeUInt32LE(Number(raw & 0xffffffffn));
        const bpm = b.readFloatLE(0);
        if (Number.isFinite(bpm) && bpm > 0 && bpm < 400) card.lines = [`${Math.round(bpm)} BPM`];
      }
    }
    if (kind === 4 || kind === 1 || kind === 7 || kind === 8)
      card.note = 'the animation is kept in the database but not drawn by this export';
    return { card };
  } catch {
    return {
      card: { ...card, note: 'the content of this Digital Touch could not be read' },
      unreadable: true,
    };
  }
}
