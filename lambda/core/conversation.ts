import { InvalidRequestError } from './errors';
import { isRecord, quoteName, text } from './fields';
import type { ConversationTurn } from './types';

/**
 * Most messages (turns) one request may carry: 50. It bounds the work of validating and hashing a
 * request; a longer conversation is `InvalidRequest` (trim its oldest turns before sending). A
 * conversation that alternates from `user` and ends with `user` has an odd count: 49 at most.
 */
export const MAX_TURNS = 50;

const MESSAGE_FIELDS: ReadonlySet<string> = new Set(['role', 'content']);

/** A validated conversation: the final user turn and the turns before it. */
export interface Conversation {
  /** The final user turn's text blocks joined with "\n": what a semantic lookup embeds. */
  readonly prompt: string;
  /** The final turn's blocks when there are several; absent when the turn is one block. */
  readonly promptBlocks?: readonly string[];
  /** Every turn before the final one, oldest first. */
  readonly history: readonly ConversationTurn[];
}

/**
 * Validates a request's `messages` (Converse's shape: `[{ role, content: [{ text }] }]`). Roles
 * alternate, starting and ending with `user`; every block is a non-blank text block (images,
 * documents, tool use and every other block type are refused: this cache keys and matches text
 * only); at most `MAX_TURNS` messages and `maxChars` characters across all blocks. Throws
 * `InvalidRequestError` naming the message and block index.
 */
export function parseMessages(value: unknown, maxChars: number): Conversation {
  if (!Array.isArray(value)) throw new InvalidRequestError('"messages" must be an array of messages { "role": "user"|"assistant", "content": [{ "text": "..." }] }');
  if (value.length === 0) throw new InvalidRequestError('"messages" must hold at least one message');
  if (value.length > MAX_TURNS) throw new InvalidRequestError(`"messages" has ${value.length} messages; the limit is ${MAX_TURNS}`);
  const turns: ConversationTurn[] = [];
  let total = 0;
  for (const [index, message] of value.entries()) {
    const turn = parseTurn(message, index, maxChars);
    const expected = index % 2 === 0 ? 'user' : 'assistant';
    if (turn.role !== expected) {
      throw new InvalidRequestError(`messages[${index}] is ${turn.role === 'user' ? 'a "user"' : 'an "assistant"'} message; roles must alternate, starting with "user"`);
    }
    // Checked as we go, so a huge conversation is refused before all of it is read.
    total += turn.content.reduce((sum, block) => sum + block.length, 0);
    if (total > maxChars) throw new InvalidRequestError(`"messages" hold ${total} characters in all; the limit is ${maxChars}`);
    turns.push(turn);
  }
  const last = turns[turns.length - 1];
  if (last.role !== 'user') {
    throw new InvalidRequestError(`the last message (messages[${turns.length - 1}]) must be a "user" message: it is the question to answer`);
  }
  return {
    prompt: last.content.join('\n'),
    ...(last.content.length > 1 ? { promptBlocks: last.content } : {}),
    history: turns.slice(0, -1),
  };
}

function parseTurn(message: unknown, index: number, maxChars: number): ConversationTurn {
  const at = `messages[${index}]`;
  if (!isRecord(message)) throw new InvalidRequestError(`${at} must be an object with "role" and "content"`);
  const unknown = Object.keys(message).filter((key) => !MESSAGE_FIELDS.has(key));
  if (unknown.length > 0) {
    throw new InvalidRequestError(`${at} has unknown field(s): ${unknown.slice(0, 5).map(quoteName).join(', ')}; allowed: ${[...MESSAGE_FIELDS].join(', ')}`);
  }
  const role = message.role;
  if (role !== 'user' && role !== 'assistant') throw new InvalidRequestError(`${at}.role must be "user" or "assistant"`);
  const content = message.content;
  if (!Array.isArray(content) || content.length === 0) throw new InvalidRequestError(`${at}.content must be a non-empty array of text blocks [{ "text": "..." }]`);
  return { role, content: content.map((block, blockIndex) => blockText(block, `${at}.content[${blockIndex}]`, maxChars)) };
}

/** The text of a Converse text block; any other block type is refused by name. */
function blockText(block: unknown, at: string, maxChars: number): string {
  if (!isRecord(block)) throw new InvalidRequestError(`${at} must be a text block { "text": "..." }`);
  const other = Object.keys(block).find((key) => key !== 'text');
  if (other !== undefined) {
    throw new InvalidRequestError(`${at} is a ${quoteName(other)} block; only text blocks are supported (no images, documents, tool use or other content)`);
  }
  if (!('text' in block)) throw new InvalidRequestError(`${at} must be a text block { "text": "..." }`);
  const value = text(block.text, `${at}.text`, maxChars);
  if (value === undefined) throw new InvalidRequestError(`"${at}.text" must be a string`);
  // Bedrock rejects blank text blocks; a blank turn would also change the key for nothing.
  if (value.trim() === '') throw new InvalidRequestError(`${at}.text must not be blank`);
  return value;
}
