import type { ComponentChildren } from 'preact';
import type { NoteAttachment, NoteParagraph, NoteRun } from '../../../src/artifacts/notes/model.js';
import type { Wire } from '../../../src/server/api-types.js';
import { mediaKind, mediaUrl } from '../items.js';
import type { ItemOf } from '../views/view.js';
import { MediaPreview } from './media-preview.js';

type Note = ItemOf<'notes'>;
type Paragraph = Wire<NoteParagraph>;
type Attachment = Wire<NoteAttachment>;

const safeLink = (url: string | undefined) =>
  url && /^(https?:|mailto:|tel:)/i.test(url) ? url : undefined;

function Run({
  run,
  attachments,
  backup,
}: {
  run: Wire<NoteRun>;
  attachments: Map<string, Attachment>;
  backup: string;
}) {
  if (run.attachmentId) {
    const a = attachments.get(run.attachmentId);
    return a ? <AttachmentView a={a} backup={backup} /> : <span class="meta">[attachment]</span>;
  }
  let out: ComponentChildren = run.text;
  if (run.bold) out = <strong>{out}</strong>;
  if (run.italic) out = <em>{out}</em>;
  if (run.underline) out = <u>{out}</u>;
  if (run.strikethrough) out = <s>{out}</s>;
  if (run.superscript) out = run.superscript > 0 ? <sup>{out}</sup> : <sub>{out}</sub>;
  const link = safeLink(run.link);
  if (link)
    out = (
      <a href={link} target="_blank" rel="noopener noreferrer">
        {out}
      </a>
    );
  return <>{out}</>;
}

function Runs({
  p,
  attachments,
  backup,
}: {
  p: Paragraph;
  attachments: Map<string, Attachment>;
  backup: string;
}) {
  return (
    <>
      {p.runs.map((run) => (
        <Run run={run} attachments={attachments} backup={backup} />
      ))}
    </>
  );
}

function AttachmentView({ a, backup }: { a: Attachment; backup: string }) {
  if (a.kind === 'table' && a.table)
    return (
      <table class="note-table">
        {a.table.map((row) => (
          <tr>
            {row.map((cell) => (
              <td>
                {cell.map((p) => (
                  <div>
                    <Runs p={p} attachments={new Map()} backup={backup} />
                  </div>
                ))}
              </td>
            ))}
          </tr>
        ))}
      </table>
    );
  if ((a.kind === 'hashtag' || a.kind === 'mention') && a.altText)
    return <span class="tag">{a.altText}</span>;
  if ((a.kind === 'url' || a.kind === 'link') && safeLink(a.url ?? undefined))
    return (
      <a href={a.url!} target="_blank" rel="noopener noreferrer">
        {a.title || a.url}
      </a>
    );
  const file = a.files[0];
  if (file) {
    const ref = { domain: file.domain, relativePath: file.relativePath, fileName: file.name };
    if (mediaKind(ref) === 'image')
      return (
        <img
          class="note-image"
          src={mediaUrl(backup, ref)}
          alt={a.title ?? file.name}
          loading="lazy"
        />
      );
    return <MediaPreview backup={backup} file={ref} />;
  }
  return (
    <span class="meta">
      [{a.title || a.kind}
      {a.note ? `: ${a.note}` : ''}]
    </span>
  );
}

const LIST: Record<string, 'ul' | 'ol' | 'check'> = {
  bulleted: 'ul',
  dashed: 'ul',
  numbered: 'ol',
  checklist: 'check',
};

/** A note as Notes shows it: headings, lists, checklists, tables, pictures. Built from data, never from HTML. */
export function NoteBody({ backup, note }: { backup: string; note: Note }) {
  if (note.locked && !note.paragraphs)
    return (
      <p class="note-locked">🔒 This note is locked with a password: its text could not be read.</p>
    );
  if (!note.paragraphs) return note.text ? <pre class="note-text">{note.text}</pre> : null;
  const attachments = new Map(note.attachments.map((a) => [a.id, a]));
  const blocks: ComponentChildren[] = [];
  let list: { kind: 'ul' | 'ol' | 'check'; items: ComponentChildren[] } | null = null;
  const flush = () => {
    if (!list) return;
    blocks.push(
      list.kind === 'ol' ? (
        <ol>{list.items}</ol>
      ) : (
        <ul class={list.kind === 'check' ? 'checklist' : ''}>{list.items}</ul>
      ),
    );
    list = null;
  };
  for (const p of note.paragraphs) {
    const runs = <Runs p={p} attachments={attachments} backup={backup} />;
    const kind = LIST[p.style];
    if (kind) {
      if (!list || list.kind !== kind) {
        flush();
        list = { kind, items: [] };
      }
      list.items.push(
        <li
          style={{ marginLeft: `${p.indent * 1.2}em` }}
          class={kind === 'check' ? (p.done ? 'done' : 'todo') : ''}
        >
          {kind === 'check' && (
            <span aria-label={p.done ? 'done' : 'not done'}>{p.done ? '☑ ' : '☐ '}</span>
          )}
          {runs}
        </li>,
      );
      continue;
    }
    flush();
    if (p.style === 'title') blocks.push(<h3 class="note-title">{runs}</h3>);
    else if (p.style === 'heading') blocks.push(<h4>{runs}</h4>);
    else if (p.style === 'subheading') blocks.push(<h5>{runs}</h5>);
    else if (p.style === 'monospaced') blocks.push(<pre>{runs}</pre>);
    else if (p.blockQuote) blocks.push(<blockquote>{runs}</blockquote>);
    else blocks.push(<p>{runs}</p>);
  }
  flush();
  return <article class="note-body">{blocks}</article>;
}
