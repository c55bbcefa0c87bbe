/** Apple's published button sequences for recovery mode, by model family (support.apple.com/HT201263, /HT212650). */

export type ModelFamily =
  | 'iphone-8-and-later' // Face ID iPhones, iPhone 8/8 Plus, iPhone SE (2nd and 3rd generation)
  | 'iphone-7'
  | 'iphone-6s-and-earlier' // and iPhone SE (1st generation), iPod touch
  | 'ipad-without-home-button'
  | 'ipad-with-home-button'
  | 'unknown';

export function modelFamily(productType: string | null | undefined): ModelFamily {
  const match = /^(iPhone|iPad|iPod)(\d+),(\d+)$/.exec(productType ?? '');
  if (!match) return 'unknown';
  const [, kind, majorText] = match;
  const major = Number(majorText);
  if (kind === 'iPod') return 'iphone-6s-and-earlier';
  if (kind === 'iPhone') {
    if (major >= 10) return 'iphone-8-and-later';
    if (major === 9) return 'iphone-7';
    return 'iphone-6s-and-earlier';
  }
  // iPads: Pro 2018 (iPad8), Air 4 and later, mini 6, iPad 10th generation and later have no Home button.
  if (major === 8 || major >= 13) return 'ipad-without-home-button';
  return 'ipad-with-home-button';
}

export const FAMILY_NAMES: Record<ModelFamily, string> = {
  'iphone-8-and-later':
    'iPhone 8 or later (including Face ID models and iPhone SE 2nd/3rd generation)',
  'iphone-7': 'iPhone 7 or iPhone 7 Plus',
  'iphone-6s-and-earlier': 'iPhone 6s or earlier, iPhone SE (1st generation) or iPod touch',
  'ipad-without-home-button': 'iPad without a Home button',
  'ipad-with-home-button': 'iPad with a Home button',
  unknown: 'this device',
};

const TURN_OFF: Record<Exclude<ModelFamily, 'unknown'>, string> = {
  'iphone-8-and-later':
    'Unplug it. Press and hold the side button and one of the volume buttons until the power-off slider appears, drag the slider, and wait a minute for it to turn off completely.',
  'iphone-7':
    'Unplug it. Press and hold the side button until the power-off slider appears, drag the slider, and wait a minute for it to turn off completely.',
  'iphone-6s-and-earlier':
    'Unplug it. Press and hold the side (or top) button until the power-off slider appears, drag the slider, and wait a minute for it to turn off completely.',
  'ipad-without-home-button':
    'Unplug it. Press and hold the top button and either volume button until the power-off slider appears, drag the slider, and wait a minute.',
  'ipad-with-home-button':
    'Unplug it. Press and hold the top button until the power-off slider appears, drag the slider, and wait a minute.',
};

const HOLD: Record<Exclude<ModelFamily, 'unknown'>, string> = {
  'iphone-8-and-later':
    'Press and hold the side button while you connect it to the computer with the cable; keep holding until the recovery mode screen (a computer and a cable) appears. (When it is already connected: press and quickly release volume up, press and quickly release volume down, then press and hold the side button until that screen appears.)',
  'iphone-7':
    'Press and hold the volume down button while you connect it to the computer; keep holding until the recovery mode screen (a computer and a cable) appears. (When already connected: hold volume down and the side button together until that screen appears.)',
  'iphone-6s-and-earlier':
    'Press and hold the Home button while you connect it to the computer; keep holding until the recovery mode screen (a computer and a cable) appears. (When already connected: hold Home and the side/top button together until that screen appears.)',
  'ipad-without-home-button':
    'Connect it to the computer. Press and quickly release the volume button nearest the top button, press and quickly release the other volume button, then press and hold the top button until the recovery mode screen appears.',
  'ipad-with-home-button':
    'Connect it to the computer. Press and hold the Home button and the top (or side) button together until the recovery mode screen appears.',
};

const RESTORE = [
  'On the computer, find the device: in Finder on a Mac with macOS Catalina or later, in iTunes on an older Mac or on Windows with iTunes, or in the Apple Devices app on Windows 10/11.',
  'When offered Restore or Update, choose Restore. The computer downloads iOS/iPadOS and erases the device; if the download takes more than 15 minutes the device leaves recovery mode — repeat the button steps.',
  "After the erase, set the device up, sign in with the Apple Account it used (Activation Lock asks for it), and choose to restore from this computer's backup (Finder/iTunes/Apple Devices: Restore Backup) or from an iCloud backup.",
];

/** The steps to enter recovery mode and restore, for one family (all families when unknown). */
export function recoverySteps(family: ModelFamily): {
  family: ModelFamily;
  familyName: string;
  enterRecovery: string[];
  restore: string[];
} {
  if (family === 'unknown') {
    const all = (Object.keys(TURN_OFF) as Exclude<ModelFamily, 'unknown'>[]).map(
      (f) => `${FAMILY_NAMES[f]}: ${HOLD[f]}`,
    );
    return {
      family,
      familyName: FAMILY_NAMES[family],
      enterRecovery: ['Turn the device off and unplug it.', ...all],
      restore: RESTORE,
    };
  }
  return {
    family,
    familyName: FAMILY_NAMES[family],
    enterRecovery: [TURN_OFF[family], HOLD[family]],
    restore: RESTORE,
  };
}
