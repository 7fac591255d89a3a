using Tollgate.Client.Internal;
using Tollgate.Engine;

namespace Tollgate.Client;

/// <summary>Checks: in-process from the replica when the datastream is live, else REST, else the flag's default.</summary>
public sealed partial class TollgateClient
{
    private static readonly Task<bool> True = Task.FromResult(true);
    private static readonly Task<bool> False = Task.FromResult(false);

    /// <summary>
    /// Whether the company and user may use <paramref name="flagKey"/> now. Never throws. With a live datastream and the
    /// company and user replicated, it is answered in-process without allocating.
    /// </summary>
    public Task<bool> CheckFlag(string flagKey, Dictionary<string, string>? company = null, Dictionary<string, string>? user = null)
    {
        if (TryCheckLocally(flagKey, company, user, out var result))
        {
            return result.Value ? True : False;
        }

        return CheckFlagSlowAsync(flagKey, company, user);
    }

    /// <summary>The check with its reason, entitlement and freshness. Never throws.</summary>
    public async Task<FlagCheckResult> CheckFlagWithEntitlement(string flagKey, Dictionary<string, string>? company = null, Dictionary<string, string>? user = null)
    {
        try
        {
            ArgumentException.ThrowIfNullOrEmpty(flagKey);
            if (_options.Offline)
            {
                return Default(flagKey, CheckSource.Offline, "offline mode", null);
            }

            if (_datastream is { IsLive: true })
            {
                return await CheckFromStreamAsync(flagKey, company, user).ConfigureAwait(false);
            }

            try
            {
                return await _rest.CheckAsync(flagKey, company, user, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
            {
                // Tollgate is unreachable: a replica from before the disconnection still knows more than the default.
                if (_datastream?.DisconnectedAt is { } since && TryCheckStale(flagKey, company, user, since) is { } stale)
                {
                    return stale;
                }

                return Default(flagKey, CheckSource.Default, exception.Message, exception.Message);
            }
        }
#pragma warning disable CA1031 // A check never throws (spec §4): any failure answers the flag's default, with its reason.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Default(flagKey, CheckSource.Default, exception.Message, exception.Message);
        }
    }

    /// <summary>
    /// Every flag for a context, or only <paramref name="keys"/> (absent ones answer their defaults). Never throws.
    /// </summary>
    public async Task<List<FlagCheckResult>> CheckFlags(Dictionary<string, string>? company = null, Dictionary<string, string>? user = null, IEnumerable<string>? keys = null)
    {
        var wanted = keys?.ToList();
        if (_replica is not null && _datastream is { IsLive: true })
        {
            var answers = new List<FlagCheckResult>();
            foreach (var key in wanted ?? [.. _replica.Flags.Select(f => f.Key)])
            {
                answers.Add(await CheckFlagWithEntitlement(key, company, user).ConfigureAwait(false));
            }

            return answers;
        }

        try
        {
            if (_options.Offline)
            {
                return [.. (wanted ?? []).Select(k => Default(k, CheckSource.Offline, "offline mode", null))];
            }

            var all = await _rest.CheckAllAsync(company, user, CancellationToken.None).ConfigureAwait(false);
            if (wanted is null)
            {
                return all;
            }

            var byKey = all.ToDictionary(a => a.FlagKey, StringComparer.Ordinal);
            return [.. wanted.Select(k => byKey.TryGetValue(k, out var a) ? a : Default(k, CheckSource.Default, "flag not found", "flag not found"))];
        }
#pragma warning disable CA1031 // As CheckFlagWithEntitlement: never throws.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return [.. (wanted ?? []).Select(k => Default(k, CheckSource.Default, exception.Message, exception.Message))];
        }
    }

    private async Task<bool> CheckFlagSlowAsync(string flagKey, Dictionary<string, string>? company, Dictionary<string, string>? user) =>
        (await CheckFlagWithEntitlement(flagKey, company, user).ConfigureAwait(false)).Value;

    /// <summary>The warm path: everything replicated and the stream live. Allocates nothing.</summary>
    private bool TryCheckLocally(string flagKey, Dictionary<string, string>? company, Dictionary<string, string>? user, out CheckResult result)
    {
        result = default;
        if (_replica is null || _datastream is not { IsLive: true } || !_replica.TryGetFlag(flagKey, out var flag))
        {
            return false;
        }

        CompiledCompany? compiledCompany = null;
        if (company is { Count: > 0 } && !_replica.TryFindCompany(company, out compiledCompany))
        {
            return false;
        }

        CompiledUser? compiledUser = null;
        if (user is { Count: > 0 } && !_replica.TryFindUser(user, out compiledUser))
        {
            return false;
        }

        result = flag.Check(compiledCompany, compiledUser, null, _options.TimeProvider.GetUtcNow());
        return true;
    }

    private async Task<FlagCheckResult> CheckFromStreamAsync(string flagKey, Dictionary<string, string>? company, Dictionary<string, string>? user)
    {
        var replica = _replica!;
        if (!replica.TryGetFlag(flagKey, out var flag))
        {
            return Default(flagKey, CheckSource.Datastream, "flag not found", "flag not found");
        }

        // A miss asks the stream (concurrent misses each ask; the server answers each); an unknown entity is checked as absent.
        CompiledCompany? compiledCompany = null;
        if (company is { Count: > 0 } && !replica.TryFindCompany(company, out compiledCompany))
        {
            compiledCompany = await _datastream!.RequestAsync("rulesengine.Company", company, _streamWait, CancellationToken.None).ConfigureAwait(false)
                && replica.TryFindCompany(company, out var arrived) ? arrived : null;
        }

        CompiledUser? compiledUser = null;
        if (user is { Count: > 0 } && !replica.TryFindUser(user, out compiledUser))
        {
            compiledUser = await _datastream!.RequestAsync("rulesengine.User", user, _streamWait, CancellationToken.None).ConfigureAwait(false)
                && replica.TryFindUser(user, out var arrived) ? arrived : null;
        }

        var now = _options.TimeProvider.GetUtcNow();
        return LocalAnswers.From(flag.Check(compiledCompany, compiledUser, null, now), CheckSource.Datastream, now);
    }

    private FlagCheckResult? TryCheckStale(string flagKey, Dictionary<string, string>? company, Dictionary<string, string>? user, DateTimeOffset since)
    {
        var replica = _replica!;
        if (!replica.TryGetFlag(flagKey, out var flag))
        {
            return null;
        }

        CompiledCompany? compiledCompany = null;
        CompiledUser? compiledUser = null;
        if ((company is { Count: > 0 } && !replica.TryFindCompany(company, out compiledCompany))
            || (user is { Count: > 0 } && !replica.TryFindUser(user, out compiledUser)))
        {
            return null;
        }

        return LocalAnswers.From(flag.Check(compiledCompany, compiledUser, null, _options.TimeProvider.GetUtcNow()), CheckSource.StaleReplica, since);
    }

    private FlagCheckResult Default(string flagKey, CheckSource source, string reason, string? error) => new()
    {
        FlagKey = flagKey,
        Value = DefaultOf(flagKey),
        Reason = reason,
        Source = source,
        Error = error,
    };
}
