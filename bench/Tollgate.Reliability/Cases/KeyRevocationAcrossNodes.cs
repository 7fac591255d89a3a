using System.Diagnostics;

namespace Tollgate.Reliability.Cases;

/// <summary>
/// A secret key in use on two nodes is revoked on one. Lost: the other node still accepting it more than 1 s later.
/// </summary>
internal sealed class KeyRevocationAcrossNodes : IReliabilityCase
{
    private static readonly TimeSpan Allowed = TimeSpan.FromSeconds(1);

    public string Name => "key-revocation-2-nodes";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync("postgres", "revoke").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        await using var nodeA = await lab.StartNodeAsync(store, "a", key, cancellationToken).ConfigureAwait(false);
        await using var nodeB = await lab.StartNodeAsync(store, "b", key, cancellationToken).ConfigureAwait(false);
        using var a = new Api(nodeA, key);
        var leaked = await a.RequireAsync("/api-keys", new { name = "leaked", kind = "secret" }, cancellationToken).ConfigureAwait(false);
        var leakedKey = leaked.GetProperty("key").GetString()!;
        var leakedId = leaked.GetProperty("api_key").GetProperty("id").GetString()!;
        using var thief = new Api(nodeB, leakedKey);
        var (warm, _) = await thief.GetAsync("/companies/count", cancellationToken).ConfigureAwait(false); // cached on B
        if (warm != 200)
        {
            return new CaseResult("(set-up)", [$"the new key did not work on node B ({warm})"]);
        }

        var (revoked, _) = await a.SendAsync(HttpMethod.Delete, $"/api-keys/{leakedId}", null, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var accepted = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var (status, _) = await thief.GetAsync("/companies/count", cancellationToken).ConfigureAwait(false);
            if (status == 401)
            {
                break;
            }

            accepted++;
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        var lost = new List<string>();
        if (revoked is not (200 or 204))
        {
            lost.Add($"the revocation answered {revoked}");
        }

        if (clock.Elapsed > Allowed)
        {
            lost.Add($"node B accepted the revoked key for {clock.Elapsed.TotalMilliseconds:0} ms ({accepted} requests), more than {Allowed.TotalMilliseconds:0} ms");
        }

        return new CaseResult("a secret key warm on node B revoked on node A; node B polled every 10 ms", lost, $"refused on node B after {clock.Elapsed.TotalMilliseconds:0} ms ({accepted} requests still accepted)");
    }
}
