declare module 'bplist-parser' {
  export function parseBuffer(data: Buffer): unknown[];
  const bplistParser: { parseBuffer: typeof parseBuffer };
  export default bplistParser;
}
declare module 'bplist-creator' {
  function createBplist(value: unknown): Buffer;
  export default createBplist;
}
