import type { Command } from 'commander';
import { buildRescuePlan, formatRescuePlan } from '../../device/rescue-plan.js';
import { readSecretFile } from '../credentials.js';
import { clock } from '../../time.js';
import { printJson, UTC_HELP } from '../output.js';

interface RescueOptions {
  device?: string;
  backups?: string[];
  passwordFile?: string;
  json?: boolean;
  probe?: boolean;
  utc?: boolean;
}

export function register(program: Command): void {
  program
    .command('rescue-plan')
    .description(
      'forgot the passcode or "iPhone Unavailable"? what backups of the device are here, what erasing would lose, and Apple\'s ways back in',
    )
    .option(
      '--device <udid>',
      'the device to plan for (default: the connected one, else every device with backups here)',
    )
    .option(
      '--backups <dir>',
      'a folder of backups, or one backup (repeatable; default: where Finder, iTunes and Apple Devices keep them)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--password-file <file>',
      'check this backup password against the encrypted backups (or RECLAIM_PASSWORD); never shown',
    )
    .option('--no-probe', 'do not ask libimobiledevice/irecovery about a connected device')
    .option('--json', 'print the plan as JSON')
    .option('--utc', UTC_HELP)
    .action(async (options: RescueOptions) => {
      const password = options.passwordFile
        ? readSecretFile(options.passwordFile, 'password')
        : process.env['RECLAIM_PASSWORD'];
      const plan = await buildRescuePlan({
        device: options.device,
        backupRoots: options.backups,
        password,
        probeDevice: options.probe !== false,
        time: { utc: options.utc === true },
      });
      if (options.json) printJson(plan);
      else process.stdout.write(formatRescuePlan(plan, clock({ utc: options.utc })));
    });
}
