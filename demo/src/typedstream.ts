/**
 * NSAttributedString in Apple's legacy "typedstream" archive format (NSArchiver), as sms.db keeps in
 * message.attributedBody. The byte layout copies a real iOS 12 attributedBody of a one-run plain-text
 * message (ios12-magnet-ctf-sms.db): header 04 0B "streamtyped" 81 E8 03 (system version 1000), then an
 * NSMutableAttributedString whose NSMutableString/NSString holds the text as UTF-8 (type "+"), one
 * attribute run (type "iI": dictionary 1, length in UTF-16 units) and the dictionary
 * { __kIMMessagePartAttributeName: NSNumber(0) }.
 * Tags: 0x84 new object/class/string, 0x85 nil, 0x86 end of object, 0x92 and up: back-references,
 * 0x81 an int16 follows, 0x82 an int32 follows.
 */

const HEAD = Buffer.from(
  '040b73747265616d747970656481e803' + // version 4, "streamtyped", system version 1000
    '840140' + // type "@"
    '848484194e534d757461626c6541747472696275746564537472696e6700' + // class NSMutableAttributedString v0
    '8484124e5341747472696275746564537472696e6700' + // superclass NSAttributedString v0
    '8484084e534f626a6563740085' + // superclass NSObject v0, nil
    '92' + // type "@" (reference)
    '8484840f4e534d757461626c65537472696e6701' + // class NSMutableString v1
    '8484084e53537472696e670195' + // superclass NSString v1, then NSObject (reference)
    '84012b', // type "+": UTF-8 bytes follow, length first
  'hex',
);
const RUN_TYPE = Buffer.from('86' + '84026949', 'hex'); // end of string object; type "iI"
const TAIL = Buffer.from(
  '92' + // type "@"
    '8484840c4e5344696374696f6e6172790095' + // class NSDictionary v0, superclass NSObject (reference)
    '840169' +
    '01' + // type "i": 1 entry
    '92' +
    '84989' +
    '81d5f5f6b494d4d657373616765506172744174747269627574654e616d6586' + // key: NSString "__kIMMessagePartAttributeName"
    '92' +
    '848484084e534e756d62657200' +
    '8484074e5356616c7565009584012a849b9b0086' + // value: NSNumber (NSValue) 0
    '8686', // end of dictionary, end of attributed string
  'hex',
);

/** typedstream integer: one byte when it cannot be mistaken for a tag, otherwise 0x81 + int16 or 0x82 + int32 (little-endian). */
export function typedstreamInt(value: number): Buffer {
  if (value >= -110 && value <= 127) return Buffer.from([value & 0xff]);
  if (value >= -32768 && value <= 32767) {
    const b = Buffer.alloc(3);
    b[0] = 0x81;
    b.writeInt16LE(value, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = 0x82;
  b.writeInt32LE(value, 1);
  return b;
}

/** attributedBody bytes for a plain-text message. */
export function attributedBodyFor(text: string): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  return Buffer.concat([
    HEAD,
    typedstreamInt(utf8.length),
    utf8,
    RUN_TYPE,
    Buffer.from([0x01]),
    typedstreamInt(text.length), // NSString length: UTF-16 code units
    TAIL,
  ]);
}

/** A value of an attribute dictionary: a string (NSString) or an integer (NSNumber). */
export type AttributeValue = string | number;

/**
 * attributedBody bytes for text with several attribute runs (formatting, attachments, Genmoji), written
 * by a small typedstream writer that follows the format the reader documents
 * (src/artifacts/messages/typedstream.ts): shared strings and objects are written once ("new", 0x84) and
 * referred back to (0x92 + index). Runs are UTF-16 lengths; equal dictionaries are written once and
 * reused by index, as NSArchiver does.
 */
export function attributedBodyWithRuns(
  text: string,
  runs: Array<{ length: number; attributes: Record<string, AttributeValue> }>,
): Buffer {
  const w = new TypedstreamWriter();
  w.group('@');
  w.object(['NSMutableAttributedString', 'NSAttributedString', 'NSObject'], () => {
    w.group('@');
    w.object(['NSMutableString', 'NSString', 'NSObject'], () => {
      w.group('+');
      const utf8 = Buffer.from(text, 'utf8');
      w.int(utf8.length);
      w.raw(utf8);
    });
    const seen: string[] = [];
    for (const run of runs) {
      const key = JSON.stringify(Object.entries(run.attributes).sort());
      let index = seen.indexOf(key);
      w.group('iI');
      if (index < 0) {
        seen.push(key);
        index = seen.length - 1;
        w.int(index + 1);
        w.int(run.length);
        w.group('@');
        w.dictionary(run.attributes);
      } else {
        w.int(index + 1);
        w.int(run.length);
      }
    }
  });
  return w.bytes();
}

const CLASS_VERSIONS: Record<string, number> = { NSMutableString: 1, NSString: 1 };

class TypedstreamWriter {
  private readonly chunks: Buffer[] = [
    Buffer.from('040b73747265616d747970656481e803', 'hex'), // version 4, "streamtyped", 1000
  ];
  private readonly strings = new Map<string, number>();
  private readonly classes = new Map<string, number>();
  private objects = 0;

  raw(b: Buffer): void {
    this.chunks.push(b);
  }
  int(n: number): void {
    this.raw(typedstreamInt(n));
  }
  private ref(index: number): void {
    this.int(index - 110);
  }
  private shared(s: string): void {
    const known = this.strings.get(s);
    if (known !== undefined) return this.ref(known);
    this.strings.set(s, this.strings.size);
    const b = Buffer.from(s, 'utf8');
    this.raw(Buffer.from([0x84]));
    this.int(b.length);
    this.raw(b);
  }
  group(encoding: string): void {
    this.shared(encoding);
  }
  private classChain(chain: string[]): void {
    const [name, ...rest] = chain;
    if (name === undefined) return this.raw(Buffer.from([0x85]));
    const known = this.classes.get(name);
    if (known !== undefined) return this.ref(known);
    this.classes.set(name, this.objects++);
    this.raw(Buffer.from([0x84]));
    this.shared(name);
    this.int(CLASS_VERSIONS[name] ?? 0);
    this.classChain(rest);
  }
  object(chain: string[], body: () => void): void {
    this.raw(Buffer.from([0x84]));
    this.objects++;
    this.classChain(chain);
    body();
    this.raw(Buffer.from([0x86]));
  }
  private value(v: AttributeValue): void {
    this.group('@');
    if (typeof v === 'string') {
      this.object(['NSString', 'NSObject'], () => {
        this.group('+');
        const b = Buffer.from(v, 'utf8');
        this.int(b.length);
        this.raw(b);
      });
    } else {
      this.object(['NSNumber', 'NSValue', 'NSObject'], () => {
        this.group('*');
        // the C string "q" (its text is a shared string, the C string an object)
        this.raw(Buffer.from([0x84]));
        this.objects++;
        this.shared('q');
        this.group('q');
        this.int(v);
      });
    }
  }
  dictionary(entries: Record<string, AttributeValue>): void {
    this.object(['NSDictionary', 'NSObject'], () => {
      this.group('i');
      this.int(Object.keys(entries).length);
      for (const [k, v] of Object.entries(entries)) {
        this.value(k);
        this.value(v);
      }
    });
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
