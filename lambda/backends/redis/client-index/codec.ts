import { vectorBlob } from '../search/index-naming';

/**
 * Marks a document that carries the same-question check's facts: a byte no entry starts with (an
 * entry is JSON, `{`). A document written before the check has the entry right after the vector.
 */
const FACTS_MARK = 0;

/**
 * `[float32 LE vector][0x00][uint32 LE facts length][UTF-8 facts][UTF-8 entry]`, or without facts
 * `[float32 LE vector][UTF-8 entry]`: one read gives the exact re-rank, the check and the answer.
 */
export function encodeDocument(vector: Float32Array, entry: string, facts?: string): Buffer {
  if (facts === undefined) return Buffer.concat([vectorBlob(vector), Buffer.from(entry, 'utf8')]);
  const header = Buffer.allocUnsafe(5);
  const encodedFacts = Buffer.from(facts, 'utf8');
  header.writeUInt8(FACTS_MARK, 0);
  header.writeUInt32LE(encodedFacts.length, 1);
  return Buffer.concat([vectorBlob(vector), header, encodedFacts, Buffer.from(entry, 'utf8')]);
}

/** The vector, entry and stored facts (if any) of a stored document; null when it is too short. */
export function decodeDocument(value: Buffer, dimensions: number): { vector: Float32Array; entry: string; facts?: string } | null {
  const end = dimensions * 4;
  if (value.length < end) return null;
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = value.readFloatLE(i * 4);
  if (value.length < end + 5 || value[end] !== FACTS_MARK) return { vector, entry: value.toString('utf8', end) };
  const length = value.readUInt32LE(end + 1);
  if (value.length < end + 5 + length) return null;
  return { vector, facts: value.toString('utf8', end + 5, end + 5 + length), entry: value.toString('utf8', end + 5 + length) };
}
