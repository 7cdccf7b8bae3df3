import { decodeEntryId, encodeEntryId } from '../../../lambda/core/entry-id';
import { InvalidRequestError } from '../../../lambda/core/errors';
import { exactKeyOf, KEY_PREFIX, KEY_VERSION, sha256Hex } from '../../../lambda/core/keys';

const REF = { namespace: 'tenant-a.v2_x', scope: sha256Hex('scope'), id: sha256Hex('request') };

const encoded = (text: string): string => `e1.${Buffer.from(text, 'utf8').toString('base64url')}`;

describe('entry ids', () => {
  it('decode to the namespace, scope and id they were made from', () => {
    expect(decodeEntryId(encodeEntryId(REF))).toEqual(REF);
  });

  it('are URL- and JSON-safe text with a format tag', () => {
    expect(encodeEntryId(REF)).toMatch(/^e1\.[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['another format', `e2.${encodeEntryId(REF).slice(3)}`],
    ['text that is not base64url', 'e1.a+b/c='],
    ['two parts', encoded(`${REF.namespace}\n${REF.scope}`)],
    ['four parts', encoded(`${REF.namespace}\n${REF.scope}\n${REF.id}\nx`)],
    ['a namespace with a colon', encoded(`a:b\n${REF.scope}\n${REF.id}`)],
    ['a namespace with a character outside ASCII', encoded(`ténant\n${REF.scope}\n${REF.id}`)],
    ['a namespace with a glob character', encoded(`a*\n${REF.scope}\n${REF.id}`)],
    ['a scope that is not hex', encoded(`${REF.namespace}\n${'z'.repeat(64)}\n${REF.id}`)],
    ['an id too short', encoded(`${REF.namespace}\n${REF.scope}\nabc`)],
    ['an id in upper case', encoded(`${REF.namespace}\n${REF.scope}\n${REF.id.toUpperCase()}`)],
    ['a very long text', `e1.${'A'.repeat(10_000)}`],
  ])('refuse %s with InvalidRequest', (_label, text) => {
    expect(() => decodeEntryId(text)).toThrow(InvalidRequestError);
  });
});

describe('exactKeyOf', () => {
  it('is the exact key layout: prefix, version, namespace, digest', () => {
    expect(exactKeyOf('tenant-a', REF.id)).toBe(`${KEY_PREFIX}${KEY_VERSION}:tenant-a:${REF.id}`);
  });
});
