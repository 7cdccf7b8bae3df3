import { knnSearchArgs } from '../../../../../lambda/backends/redis/search/ft-query';
import { parseCandidates } from '../../../../../lambda/backends/redis/search/ft-reply';

describe('FT KNN with the same-question check', () => {
  it('prefilters the KNN on the check TAG beside the scope', () => {
    expect(knnSearchArgs('idx', 'vec', 'scope1', 4, Buffer.alloc(0), 'v1abc')[1]).toBe('(@scope:{scope1} @check:{v1abc})=>[KNN 4 @vec $B]');
    expect(knnSearchArgs('idx', 'vec', 'scope1', 4, Buffer.alloc(0))[1]).toBe('(@scope:{scope1})=>[KNN 4 @vec $B]');
  });

  it("reads each neighbour's check TAG from the reply when it has one", () => {
    const reply = [2, 'k1', ['__vec_score', '0.01', 'check', 'v1abc'], 'k2', ['__vec_score', '0.02']];

    expect(parseCandidates(reply, '__vec_score')).toEqual([{ key: 'k1', distance: 0.01, check: 'v1abc' }, { key: 'k2', distance: 0.02 }]);
  });
});
