// Stand-in for macOS's `security`.
// security: answers `dump-keychain` and `find-generic-password -s S [-a A] [-l L] -w` from the items in
// the JSON file RECLAIM_STANDIN_KEYCHAIN: [{ service, account?, label?, password, refuse?, hex? }]
// (refuse: the owner says no to macOS's prompt; hex: security prints the secret in hex, as it does for
// secrets that are not text). Record layout and messages as security(1) prints them.
// RECLAIM_STANDIN_LOG: a file each call appends {tool, argv} to (JSON lines).
import { appendFileSync, readFileSync } from 'node:fs';

const [tool, command, ...args] = process.argv.slice(2);
if (process.env.RECLAIM_STANDIN_LOG)
  appendFileSync(
    process.env.RECLAIM_STANDIN_LOG,
    `${JSON.stringify({ tool, argv: [command, ...args] })}\n`,
  );
const items = process.env.RECLAIM_STANDIN_KEYCHAIN
  ? JSON.parse(readFileSync(process.env.RECLAIM_STANDIN_KEYCHAIN, 'utf8'))
  : [];
const KEYCHAIN = '/Users/owner/Library/Keychains/login.keychain-db';

function blob(value) {
  if (value === undefined || value === null) return '<NULL>';
  if (/^[\x20-\x7e]*$/.test(value)) return `"${value}"`;
  const bytes = Buffer.from(value, 'utf8');
  const escaped = [...bytes].map((b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`,
  );
  return `0x${bytes.toString('hex').toUpperCase()}  "${escaped.join('')}"`;
}

function dump() {
  const date = '0x32303233303631303132303030305A00  "20230610120000Z\\000"';
  for (const item of items) {
    const internet = item.kind === 'inet';
    process.stdout.write(
      [
        `keychain: "${KEYCHAIN}"`,
        'version: 512',
        `class: "${internet ? 'inet' : 'genp'}"`,
        'attributes:',
        `    0x00000007 <blob>=${blob(item.label ?? item.service)}`,
        '    0x00000008 <blob>=<NULL>',
        `    "acct"<blob>=${blob(item.account)}`,
        `    "cdat"<timedate>=${date}`,
        '    "crtr"<uint32>=<NULL>',
        '    "cusi"<sint32>=<NULL>',
        '    "desc"<blob>=<NULL>',
        '    "gena"<blob>=<NULL>',
        '    "icmt"<blob>=<NULL>',
        '    "invi"<sint32>=<NULL>',
        `    "mdat"<timedate>=${date}`,
        '    "nega"<sint32>=<NULL>',
        '    "prot"<blob>=<NULL>',
        '    "scrp"<sint32>=<NULL>',
        internet
          ? `    "srvr"<blob>=${blob(item.service)}`
          : `    "svce"<blob>=${blob(item.service)}`,
        '    "type"<uint32>=<NULL>',
        '',
      ].join('\n'),
    );
  }
  process.exit(0);
}

function find() {
  const option = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const [service, account, label] = [option('-s'), option('-a'), option('-l')];
  const item = items.find(
    (it) =>
      it.kind !== 'inet' &&
      (service === undefined || it.service === service) &&
      (account === undefined || it.account === account) &&
      (label === undefined || (it.label ?? it.service) === label),
  );
  if (!item) {
    process.stderr.write(
      'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\n',
    );
    process.exit(44);
  }
  if (item.refuse) {
    process.stderr.write('security: SecKeychainItemCopyContent: User canceled the operation.\n');
    process.exit(128);
  }
  if (!args.includes('-w')) {
    process.stdout.write(`keychain: "${KEYCHAIN}"\nclass: "genp"\n`);
    process.exit(0);
  }
  const secret = item.hex ? Buffer.from(item.password, 'utf8').toString('hex') : item.password;
  process.stdout.write(`${secret}\n`);
  process.exit(0);
}

if (tool !== 'security') {
  process.stderr.write(`standin: unknown tool ${tool}\n`);
  process.exit(2);
}
if (command === 'dump-keychain') dump();
else if (command === 'find-generic-password') find();
else {
  process.stderr.write(`security: unknown command "${command}"\n`);
  process.exit(2);
}
