// `npm run demo:build`: writes the bundled demo backup (demo/backup) with the project's own backup writer.
import { rmSync } from 'node:fs';
import { BackupWriter } from '../src/backup/writer.js';
import { buildDemoContent, bundledDemoData, OWNER } from '../demo/src/index.js';
import { DEMO_PASSWORD, demoBackupPath } from '../src/demo/location.js';

const out = demoBackupPath();
rmSync(out, { recursive: true, force: true });
const writer = await BackupWriter.create(out, {
  password: DEMO_PASSWORD,
  keyDerivation: { iterations: 10_000, dpic: 10_000_000 },
  date: new Date(Date.UTC(2025, 5, 14, 18, 30)),
  device: {
    deviceName: OWNER.deviceName,
    productType: 'iPhone15,2',
    productVersion: '17.5.1',
    buildVersion: '21F90',
    serialNumber: 'DEMO0SERIAL1',
    udid: '00008120-0000DEMO0000001E',
    phoneNumber: OWNER.phone,
  },
  installedApps: ['net.whatsapp.WhatsApp', 'com.apple.mobilesafari', 'com.apple.mobilenotes'],
});
writer.addAll(buildDemoContent({ data: bundledDemoData() }));
await writer.finish();
console.log(`Wrote the demo backup to ${out} (password: ${DEMO_PASSWORD})`);
