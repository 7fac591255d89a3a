namespace Tollgate.Reliability.Cases;

/// <summary>
/// Three nodes started at the same instant on one empty PostgreSQL database (migrations and first-start writes race).
/// Lost: a node that does not start, or nodes that disagree about the schema or the environment.
/// </summary>
internal sealed class SimultaneousStart : IReliabilityCase
{
    private const int Nodes = 3;

    public string Name => "nodes-starting-together-on-empty-postgres";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync("postgres", "together").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        var starts = Enumerable.Range(0, Nodes).Select(i => StartAsync(lab, store, $"n{i}", key, cancellationToken)).ToList();
        var results = await Task.WhenAll(starts).ConfigureAwait(false);
        var lost = results.Where(r => r.Error is not null).Select(r => $"{r.Name} did not start: {r.Error}").ToList();
        var environments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, node, _) in results.Where(r => r.Node is not null))
        {
            using var api = new Api(node!, key);
            var (status, answer) = await api.GetAsync("/environment", cancellationToken).ConfigureAwait(false);
            if (status != 200)
            {
                lost.Add($"{node!.Name} answered {status} to GET /environment with the key");
                continue;
            }

            environments.Add(answer.GetProperty("data").GetProperty("id").GetString()!);
        }

        if (environments.Count > 1)
        {
            lost.Add($"the nodes made {environments.Count} environments for one key");
        }

        foreach (var (_, node, _) in results)
        {
            if (node is not null)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new CaseResult($"{Nodes} nodes started at once on an empty database", lost, $"{results.Count(r => r.Node is not null)} of {Nodes} started");
    }

    private static async Task<(string Name, Node? Node, string? Error)> StartAsync(Lab lab, Store store, string name, string key, CancellationToken cancellationToken)
    {
        try
        {
            return (name, await lab.StartNodeAsync(store, name, key, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return (name, null, e.Message);
        }
    }
}
