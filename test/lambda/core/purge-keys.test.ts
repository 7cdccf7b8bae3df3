import { namespaceOfKey } from '../../../lambda/core/key-layout';
import { isEntryKey, namespaceScanPattern, requireNamespace } from '../../../lambda/core/purge-keys';

const ID = 'ff662ab5cd8a3ee7d41e0a2e207f1314f9b1ea0816192744799e3bb0569a0077';
const SCOPE = 'dc5e99a9ca1c2eec207e248757dfb66e24f8615c3a7c2a9f87bcb1deee6e4b8f';

/** Redis glob matching for the subset the pattern uses (`*` only), as SCAN MATCH applies it. */
function globMatches(pattern: string, key: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 's').test(key);
}

const forms = (namespace: string): string[] => [
  `llmcache:v1:${namespace}:${ID}`,
  `llmcache:v1:${namespace}:${ID}:refresh`,
  `llmcache:sem:v1:s3:amazon-titan-embed-text-v2-0:1024:${namespace}:${ID}`,
  `llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:${namespace}:{${SCOPE}}:log`,
  `llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:${namespace}:{${SCOPE}}:d:${ID}`,
  `llmcache:cv:v2:amazon-titan-embed-text-v2-0:1024:${namespace}:{${SCOPE}}:r:${ID}`,
];

describe('namespaceScanPattern', () => {
  it('matches every key form of the namespace with one pattern', () => {
    const pattern = namespaceScanPattern('tenant.a_1');
    for (const key of forms('tenant.a_1')) {
      expect(globMatches(pattern, key)).toBe(true);
      expect(namespaceOfKey(key)).toBe('tenant.a_1');
    }
  });

  it('may match keys of another namespace, which namespaceOfKey then tells apart', () => {
    // Namespace "1024" matches every document of a 1024-dimension model, whatever its namespace.
    const pattern = namespaceScanPattern('1024');
    const foreign = forms('tenant-a').filter((key) => globMatches(pattern, key));

    expect(foreign.length).toBeGreaterThan(0);
    for (const key of foreign) expect(namespaceOfKey(key)).toBe('tenant-a');
  });

  it('refuses a namespace that would carry glob characters into the pattern', () => {
    for (const namespace of ['*', 'a?b', '[ab]', 'a\\b', 'a:b', '', 'x'.repeat(65)]) {
      expect(() => namespaceScanPattern(namespace)).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
      expect(() => requireNamespace(namespace)).toThrow(/namespace must be/);
    }
  });
});

describe('isEntryKey', () => {
  it('is true only for the exact entry form of that namespace', () => {
    const [entry, ...others] = forms('a');

    expect(isEntryKey(entry!, 'a')).toBe(true);
    for (const key of others) expect(isEntryKey(key, 'a')).toBe(false);
    expect(isEntryKey(entry!, 'b')).toBe(false);
    expect(isEntryKey(`llmcache:v1:a:not-hex`, 'a')).toBe(false);
  });
});
