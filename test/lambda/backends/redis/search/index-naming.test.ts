import { documentIdOf, documentKey, indexNames, SEARCH_INDEX_VERSION, supersededIndexNames, vectorBlob } from '../../../../../lambda/backends/redis/search/index-naming';

describe('indexNames', () => {
  it('names the index and documents after the embedding model and dimension, under the library prefix', () => {
    expect(indexNames('amazon.titan-embed-text-v2:0', 1024)).toEqual({
      index: 'llmcache:idx:v1:s3:amazon-titan-embed-text-v2-0:1024',
      documentPrefix: 'llmcache:sem:v1:s3:amazon-titan-embed-text-v2-0:1024:',
    });
  });

  it('names index version 1 as it was, without a version segment', () => {
    expect(indexNames('amazon.titan-embed-text-v2:0', 1024, 1)).toEqual({
      index: 'llmcache:idx:v1:amazon-titan-embed-text-v2-0:1024',
      documentPrefix: 'llmcache:sem:v1:amazon-titan-embed-text-v2-0:1024:',
    });
  });

  it('gives a new index version a document prefix the old index does not cover', () => {
    const old = indexNames('m', 4, 1);
    const current = indexNames('m', 4);

    expect(current.index).not.toBe(old.index);
    expect(current.documentPrefix.startsWith(old.documentPrefix)).toBe(false);
  });

  it('gives different dimensions of one model different indexes', () => {
    expect(indexNames('m', 256).index).not.toBe(indexNames('m', 512).index);
    expect(indexNames('m', 256).documentPrefix).not.toBe(indexNames('m', 512).documentPrefix);
  });

  it('lower-cases the model id and trims separators at its ends', () => {
    expect(indexNames('::Cohere.Embed::', 8).index).toBe('llmcache:idx:v1:s3:cohere-embed:8');
  });

  it('keeps the document prefix outside the exact-key namespace', () => {
    const { documentPrefix } = indexNames('m', 4);

    expect(documentPrefix.startsWith('llmcache:v1:')).toBe(false);
  });
});

describe('documentKey and documentIdOf', () => {
  it('names a document by its namespace and id under the index prefix, and reads the id back', () => {
    const key = documentKey(indexNames('m', 4), 'tenant-a', 'ab12');

    expect(key).toBe('llmcache:sem:v1:s3:m:4:tenant-a:ab12');
    expect(documentIdOf(key)).toBe('ab12');
  });
});

describe('supersededIndexNames', () => {
  it('lists the names of every earlier version of this model and dimension, oldest first', () => {
    expect(SEARCH_INDEX_VERSION).toBe(3);
    expect(supersededIndexNames('m', 4)).toEqual(['llmcache:idx:v1:m:4', 'llmcache:idx:v1:s2:m:4']);
    expect(supersededIndexNames('m', 4, 2)).toEqual(['llmcache:idx:v1:m:4']);
  });

  it('never lists the current index or another dimension', () => {
    expect(supersededIndexNames('m', 4)).not.toContain(indexNames('m', 4).index);
    expect(supersededIndexNames('m', 4)).not.toContain(indexNames('m', 8, 1).index);
  });
});

describe('vectorBlob', () => {
  it('lays the vector out as float32 little-endian, 4 bytes per component', () => {
    const vector = Float32Array.from([1, -0.5, 0.25]);

    const blob = vectorBlob(vector);

    expect(blob).toHaveLength(12);
    expect([blob.readFloatLE(0), blob.readFloatLE(4), blob.readFloatLE(8)]).toEqual([1, -0.5, 0.25]);
    expect([...blob.subarray(0, 4)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });
});
