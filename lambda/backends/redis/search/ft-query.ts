/**
 * The one FT.SEARCH the runtime sends (docs/ft-dialect.md): a KNN in one scope, no `RETURN`, no
 * `AS`, with `LIMIT 0 <k>` and `DIALECT 2`.
 *
 * With `check` (the same-question check's literal TAG, letters and digits only) the KNN is
 * prefiltered on it too, so a neighbour with other literals never takes one of the k places.
 *
 * `LIMIT 0 <k>` is always sent. Without it every engine returns at most 10 documents (MemoryDB and
 * ElastiCache FT.SEARCH: "LIMIT 0 10" is the default), and RediSearch picks those 10 in document
 * order, not by distance: a KNN above 10 would lose some of its nearest neighbours (measured on
 * RediSearch 2.6.37). With the limit equal to k, every neighbour comes back on every engine.
 */
export function knnSearchArgs(index: string, vectorField: string, scope: string, k: number, vector: Buffer, check?: string): (string | Buffer)[] {
  const filter = check === undefined ? `@scope:{${scope}}` : `@scope:{${scope}} @check:{${check}}`;
  return [
    index,
    `(${filter})=>[KNN ${k} @${vectorField} $B]`,
    'PARAMS', '2', 'B', vector,
    'LIMIT', '0', String(k),
    'DIALECT', '2',
  ];
}
