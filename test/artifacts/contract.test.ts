// The contract every registered data type keeps (one test body, every implementation, like Hono's
// runtime tests): a new data type gets these tests by being in the registry.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import picomatch from 'picomatch';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import {
  EXPORT_FORMATS,
  locationMatcher,
  locationsOf,
  type LocationDescriptor,
} from '../../src/artifacts/declaration.js';
import { DATA_LOCATIONS } from '../../src/artifacts/catalog.js';
import {
  ARTIFACT_IDS,
  inBackups,
  ARTIFACTS,
  artifactDescriptors,
  artifactById,
  artifactIdFor,
  declarationOf,
} from '../../src/artifacts/registry.js';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace, withWorkspace } from '../../src/artifacts/workspace.js';
import { Backup } from '../../src/backup/backup.js';
import { buildDemoContent, bundledDemoData } from '../../demo/src/index.js';
import { exporterFor } from '../../src/export/registry.js';
import { exportArtifacts } from '../../src/export/run.js';
import { sha256, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-contract-');
after(() => tmp.cleanup());

/** A concrete path a location's glob matches ("Data-*.sqlite" → "Data-junk.sqlite"). */
function exampleOf(location: LocationDescriptor): string {
  const path = location.path
    .replace(/\{([^,}]*),[^}]*\}/g, '$1')
    .replace(/\*\*/g, 'junk')
    .replace(/\*/g, 'junk');
  assert.ok(locationMatcher(location)(location.domain, path), `${path} is not in ${location.path}`);
  return path;
}

/** Objects in the items that point at a backup file ({ domain, relativePath }). */
function fileRefs(value: unknown, found: Array<{ domain: string; relativePath: string }> = []) {
  if (Array.isArray(value)) for (const v of value) fileRefs(v, found);
  else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o['domain'] === 'string' && typeof o['relativePath'] === 'string')
      found.push({ domain: o['domain'], relativePath: o['relativePath'] });
    for (const v of Object.values(o)) fileRefs(v, found);
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const JUNK = Buffer.from('This is not an SQLite database, nor any file iOS writes.\n'.repeat(80));

const demoFiles = buildDemoContent({ data: bundledDemoData() });
const demoHashes = new Set(demoFiles.map((f) => sha256(f.data ?? Buffer.alloc(0))));
let demo: Backup;
const demoData = new Map<string, ArtifactData<unknown>>();
let workspace: PrivateWorkspace;

before(async () => {
  const dir = join(tmp.path, 'demo');
  await writeBackup(dir, demoFiles);
  demo = Backup.open(dir);
  workspace = PrivateWorkspace.create();
  const source = new BackupSource(demo, workspace);
  for (const id of ARTIFACT_IDS)
    demoData.set(id, await ARTIFACTS[id].read(source, { recoverDeleted: true }));
});
after(() => workspace?.dispose());

test('the registry: ids, readers, exporters and descriptors agree with the declarations', () => {
  const descriptors = artifactDescriptors();
  assert.deepEqual(
    descriptors.map((d) => d.id),
    [...ARTIFACT_IDS],
  );
  assert.deepEqual(JSON.parse(JSON.stringify(descriptors)), descriptors, 'JSON-safe');
  for (const id of ARTIFACT_IDS) {
    const declaration = declarationOf(id);
    assert.equal(ARTIFACTS[id].id, id);
    assert.equal(ARTIFACTS[id].title, declaration.title);
    assert.deepEqual(exporterFor(id).formats, declaration.formats);
    assert.equal(artifactIdFor(id.toUpperCase()), id);
    for (const alias of declaration.aliases) assert.equal(artifactIdFor(alias), id);
  }
});

test('the catalog counts every declared location that is not marked out of it', () => {
  for (const id of ARTIFACT_IDS) {
    const declaration = declarationOf(id);
    for (const location of locationsOf(declaration).filter((l) => l.catalog !== false))
      assert.ok(
        DATA_LOCATIONS.some((d) => d.domain === location.domain && d.path === location.path),
        `${id}: ${location.domain}/${location.path}`,
      );
  }
  const held = (domain: string, path: string) =>
    DATA_LOCATIONS.some((d) => d.domain === domain && picomatch(d.path)(path));
  // What the catalog had drifted away from before the declarations.
  assert.ok(held('HomeDomain', 'Library/Reminders/Container_v1/Stores/Data-1.sqlite'));
  assert.ok(held('HomeDomain', 'Library/Notes/notes.sqlite'));
  assert.ok(held('WirelessDomain', 'Library/CallHistory/call_history.db'));
  assert.ok(held('HomeDomain', 'Library/Safari/History.db'));
  assert.ok(held('AppDomainGroup-group.com.apple.VoiceMemos.shared', 'Recordings/a.m4a'));
});

for (const id of ARTIFACT_IDS) {
  const artifact = artifactById(id);
  const declaration = declarationOf(id);
  const locations = locationsOf(declaration);
  const inDeclared = (domain: string, path: string) =>
    locations.some((l) => locationMatcher(l)(domain, path));

  describe(`artifact contract: ${id}`, () => {
    test('an empty backup: no throw, and a line saying what is not in it', async () => {
      const data = await withWorkspace((ws) =>
        artifact.read(new LooseFilesSource([], ws), { recoverDeleted: true }),
      );
      assert.equal(data.artifact, id);
      assert.deepEqual(data.items, []);
      assert.deepEqual(data.problems, []);
      assert.ok(data.notInBackup.length > 0, 'a notInBackup line');
    });

    const parsed = locations.filter((l) => l.kind !== 'media' && !l.companion);
    for (const location of parsed) {
      test(`junk at ${location.name} (${location.domain}/${location.path}): one problem, no throw`, async () => {
        const path = join(tmp.path, `junk-${id}-${location.name}`);
        writeFileSync(path, JUNK);
        const data = await withWorkspace((ws) =>
          artifact.read(
            new LooseFilesSource(
              [{ domain: location.domain, relativePath: exampleOf(location), path }],
              ws,
            ),
            { recoverDeleted: true },
          ),
        );
        assert.equal(data.problems.length, 1, JSON.stringify(data.problems));
        assert.ok(data.problems[0]!.message.startsWith(`${declaration.title}: `));
        assert.deepEqual(data.items, []);
      });
    }

    const never =
      !inBackups(id) && 'never in a device backup: its exporter is tested on its own source';
    test(
      'the demo backup: items, read from and pointing into the declared locations',
      { skip: never },
      () => {
        const data = demoData.get(id)!;
        assert.ok(data.items.length > 0, 'the demo holds this data type');
        assert.deepEqual(
          data.problems.filter((p) => p.severity === 'error'),
          [],
        );
        assert.ok(data.sources.length > 0);
        for (const source of data.sources) {
          const slash = source.indexOf('/');
          assert.ok(inDeclared(source.slice(0, slash), source.slice(slash + 1)), source);
        }
        for (const ref of fileRefs(data.items))
          assert.ok(
            inDeclared(ref.domain, ref.relativePath),
            `${ref.domain}/${ref.relativePath} is in no declared location`,
          );
      },
    );

    for (const format of declaration.formats) {
      test(
        `export as ${format}: that format and copies of backup files, nothing else`,
        { skip: never },
        async () => {
          const out = join(tmp.path, `export-${id}-${format}`);
          await withWorkspace((ws) =>
            exportArtifacts(new BackupSource(demo, ws), out, [id], {
              read: { recoverDeleted: true },
              export: { formats: [format] },
            }),
          );
          const written = filesUnder(join(out, id));
          const ofFormats = written.filter((f) => {
            const ext = extname(f).slice(1).toLowerCase();
            return (
              (EXPORT_FORMATS as readonly string[]).includes(ext) &&
              !demoHashes.has(sha256(readFileSync(f)))
            );
          });
          assert.ok(
            ofFormats.some((f) => extname(f) === `.${format}`),
            `no .${format} file written`,
          );
          for (const f of ofFormats)
            assert.equal(extname(f), `.${format}`, `${relative(out, f)} written for ${format}`);
        },
      );
    }
  });
}
