/**
 * Redis Cluster hash slot of a key (Redis Cluster specification, "Key distribution model"): CRC16
 * (XMODEM) of the key's bytes, or of its `{hash tag}` when one is non-empty, mod 16384. The double
 * keeps its own copy rather than importing the runtime's, so a wrong slot in the code under test
 * cannot be hidden by the double agreeing with it.
 */
export const SLOTS = 16384;

export function slotOf(key: Buffer): number {
  let bytes = key;
  const open = key.indexOf(0x7b); // '{'
  if (open >= 0) {
    const close = key.indexOf(0x7d, open + 1); // '}'
    if (close > open + 1) bytes = key.subarray(open + 1, close);
  }
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % SLOTS;
}
