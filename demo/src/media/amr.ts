/**
 * AMR-NB file ("#!AMR\n", RFC 4867 section 5) made of NO_DATA frames (frame type 15, header byte 0x7C):
 * silence, 20 ms per frame, so the frame count gives the duration.
 */
export function buildSilentAmr(durationSeconds: number): Buffer {
  const frames = Math.round(durationSeconds * 50);
  return Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), Buffer.alloc(frames, 0x7c)]);
}
