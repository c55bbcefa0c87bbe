import type { Command } from 'commander';
import { register as backup } from './backup.js';
import { register as carve } from './carve.js';
import { register as decrypt } from './decrypt.js';
import { register as diff } from './diff.js';
import { register as exportCommand } from './export.js';
import { register as extract } from './extract.js';
import { register as files } from './files.js';
import { register as info } from './info.js';
import { register as key } from './key.js';
import { register as list } from './list.js';
import { register as password } from './password.js';
import { register as rescuePlan } from './rescue-plan.js';
import { register as search } from './search.js';
import { register as start } from './start.js';
import { register as ui } from './ui.js';

/** Every CLI command module registers itself on the program through one function. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  start,
  list,
  info,
  files,
  extract,
  exportCommand,
  diff,
  search,
  decrypt,
  key,
  carve,
  password,
  ui,
  backup,
  rescuePlan,
];
