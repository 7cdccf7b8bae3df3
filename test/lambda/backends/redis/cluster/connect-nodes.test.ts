import { connectClusterNodes } from '../../../../../lambda/backends/redis/cluster/connect-nodes';

function node(status: string, outcome: 'ok' | 'fail' = 'ok') {
  return { status, connect: jest.fn(async () => (outcome === 'ok' ? undefined : Promise.reject(new Error('connect ECONNREFUSED')))) };
}

describe('connectClusterNodes', () => {
  it('connects the masters not yet connected, and only those', async () => {
    const waiting = node('wait');
    const ready = node('ready');
    const nodes = jest.fn(() => [waiting, ready]);

    await connectClusterNodes({ isCluster: true, nodes });

    expect(nodes).toHaveBeenCalledWith('master');
    expect(waiting.connect).toHaveBeenCalledTimes(1);
    expect(ready.connect).not.toHaveBeenCalled();
  });

  it('waits for every node and does not fail when one node cannot connect (its shard\'s breaker decides)', async () => {
    const failing = node('wait', 'fail');
    const other = node('wait');

    await expect(connectClusterNodes({ isCluster: true, nodes: () => [failing, other] })).resolves.toBeUndefined();
    expect(other.connect).toHaveBeenCalledTimes(1);
  });

  it('leaves a standalone client alone', async () => {
    const client = { isCluster: false, nodes: jest.fn(() => []) };

    await connectClusterNodes(client);

    expect(client.nodes).not.toHaveBeenCalled();
  });
});
