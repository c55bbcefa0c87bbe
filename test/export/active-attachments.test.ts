import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Conversation } from '../../src/artifacts/conversation.js';
import { LooseFilesSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { messagesExporter } from '../../src/export/messages.js';
import { tempDir } from '../support/fixtures.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)],
  );

describe('conversation HTML export: attachments that could run scripts', () => {
  it('links an .svg or .html attachment as a download, never as a page or a picture', async () => {
    const temp = tempDir('reclaim-active-');
    const workspace = PrivateWorkspace.create();
    try {
      const files = ['evil.svg', 'page.html'].map((name) => {
        const path = join(temp.path, name);
        writeFileSync(path, SVG);
        return { domain: 'MediaDomain', relativePath: `Library/SMS/Attachments/${name}`, path };
      });
      const conversation: Conversation = {
        id: '1',
        title: 'Stranger',
        isGroup: false,
        participants: [{ handle: '+14155550100' }],
        service: 'iMessage',
        messages: files.map((f, i) => ({
          id: String(i),
          date: new Date(Date.UTC(2024, 0, 1, 12, i)),
          fromMe: false,
          sender: '+14155550100',
          text: null,
          service: 'iMessage',
          reactions: [],
          attachments: [
            {
              domain: f.domain,
              relativePath: f.relativePath,
              fileName: f.relativePath.split('/').pop()!,
              mimeType: i === 0 ? 'image/svg+xml' : 'text/html',
              size: SVG.length,
              present: true,
            },
          ],
        })),
      };
      const out = join(temp.path, 'out');
      await messagesExporter.write(
        { artifact: 'messages', items: [conversation], problems: [], notInBackup: [], sources: [] },
        {
          outDir: out,
          source: new LooseFilesSource(files, workspace),
          names: { nameFor: () => undefined },
          options: {},
          formats: ['html'],
        },
      );
      const html = filesUnder(out)
        .filter((f) => f.endsWith('.html') && !f.includes('attachments'))
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      for (const name of ['evil.svg', 'page.html']) {
        const link = new RegExp(
          `<a class="file" href="[^"]*${name.replace('.', '\\.')}" download>`,
        );
        assert.match(html, link, `${name} is a download`);
        assert.doesNotMatch(
          html,
          new RegExp(`<img[^>]+${name.replace('.', '\\.')}`),
          `${name} is not shown`,
        );
      }
    } finally {
      workspace.dispose();
      temp.cleanup();
    }
  });
});
