import bplistCreator from 'bplist-creator';

/**
 * NSKeyedArchiver binary plists (sms.db message.payload_data) from plain values: strings, numbers and
 * Buffers become objects referred to by UID, arrays NSArray, plain objects NSDictionary, `{ $class,
 * ...fields }` an instance of that class, `{ $url }` an NSURL (NS.base $null, NS.relative the text).
 * The layout ($version, $archiver, $top.root, $objects with "$null" first, $classes chains) is the one
 * Apple's archiver writes and src/backup/nskeyedarchiver.ts decodes.
 */
export type ArchiveValue =
  | string
  | number
  | boolean
  | Buffer
  | null
  | ArchiveValue[]
  | { $url: string }
  | { $class: string; [field: string]: ArchiveValue }
  | { [key: string]: ArchiveValue };

const CHAINS: Record<string, string[]> = {
  NSDictionary: ['NSDictionary', 'NSObject'],
  NSArray: ['NSArray', 'NSObject'],
  NSURL: ['NSURL', 'NSObject'],
  NSData: ['NSMutableData', 'NSData', 'NSObject'],
};

export function keyedArchive(root: ArchiveValue): Buffer {
  const objects: unknown[] = ['$null'];
  const classes = new Map<string, number>();
  const classUid = (name: string) => {
    let uid = classes.get(name);
    if (uid === undefined) {
      uid = objects.length;
      objects.push({ $classname: name, $classes: CHAINS[name] ?? [name, 'NSObject'] });
      classes.set(name, uid);
    }
    return { UID: uid };
  };
  const add = (value: ArchiveValue): { UID: number } | number | boolean => {
    if (value === null) return { UID: 0 };
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    const uid = objects.length;
    if (typeof value === 'string') {
      objects.push(value);
      return { UID: uid };
    }
    const slot: Record<string, unknown> = {};
    objects.push(slot);
    if (Buffer.isBuffer(value)) {
      Object.assign(slot, { 'NS.data': value, $class: classUid('NSData') });
    } else if (Array.isArray(value)) {
      Object.assign(slot, { 'NS.objects': value.map(add), $class: classUid('NSArray') });
    } else if ('$url' in value && typeof value.$url === 'string') {
      Object.assign(slot, { 'NS.base': { UID: 0 }, 'NS.relative': add(value.$url) });
      slot.$class = classUid('NSURL');
    } else if ('$class' in value && typeof value.$class === 'string') {
      for (const [k, v] of Object.entries(value)) if (k !== '$class') slot[k] = add(v);
      slot.$class = classUid(value.$class);
    } else {
      const entries = Object.entries(value);
      slot['NS.keys'] = entries.map(([k]) => add(k));
      slot['NS.objects'] = entries.map(([, v]) => add(v));
      slot.$class = classUid('NSDictionary');
    }
    return { UID: uid };
  };
  const top = add(root);
  return bplistCreator({
    $version: 100000,
    $archiver: 'NSKeyedArchiver',
    $top: { root: top },
    $objects: objects,
  });
}
