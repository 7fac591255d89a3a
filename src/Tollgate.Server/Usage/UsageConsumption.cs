using Tollgate.Engine;
using Tollgate.Server.Api;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>Body of <c>POST /flags/{key}/check-and-track</c>.</summary>
public sealed record CheckAndTrackRequest(
    IReadOnlyDictionary<string, string>? Company,
    IReadOnlyDictionary<string, string>? User,
    long? Quantity,
    string? IdempotencyKey);

/// <summary>The check's answer and what was recorded: <c>tracked</c> is the quantity counted (0 when refused).</summary>
public sealed record CheckAndTrackResponse(CheckFlagResponse Check, long Tracked, bool Duplicate);

/// <summary>
/// Atomic consumption of an event-based limit: "may this company use <c>quantity</c> more?" and, if so, the usage is
/// recorded before anyone else asks. Calls for one company are serialised and each sees every usage committed before
/// it (no <see cref="CompanyView.UsageRefresh"/> grace), so N concurrent callers against a limit L are granted exactly
/// L — never more. The allowance is the engine's own answer: quantity q is allowed when the check with a preflight of
/// q − 1 is on (the plain check — q = 1 — asks "may I use one more?").
/// </summary>
/// <remarks>
/// Within a process a semaphore per company serialises the calls. On PostgreSQL, where several nodes may serve the same
/// company, each call also holds a PostgreSQL advisory lock on the company and reads its counters from the store under
/// it (change notices from other nodes arrive asynchronously, so memory alone could be a commit behind).
/// </remarks>
internal sealed class UsageConsumption(RuntimeRegistry runtimes, IngestionPipeline pipeline, UsageCounters counters, Database database, TimeProvider time) : IDisposable
{
    // Striped, so memory stays fixed however many companies consume; two companies may share a stripe and wait on
    // each other briefly, which costs latency, never correctness.
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<CheckAndTrackResponse> CheckAndTrackAsync(RequestScope scope, string flagKey, CheckAndTrackRequest request, CancellationToken cancellationToken)
    {
        var quantity = request.Quantity ?? 1;
        if (quantity is < 1 or > EventIntake.MaxQuantity)
        {
            Errors.BadRequest("quantity", $"must be a whole number from 1 to {EventIntake.MaxQuantity}");
        }

        if (request.IdempotencyKey is { Length: 0 or > EventInput.MaxIdempotencyKeyLength })
        {
            Errors.BadRequest("idempotency_key", $"must be 1 to {EventInput.MaxIdempotencyKeyLength} characters");
        }

        if (request.Company is not { Count: > 0 } companyKeys)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "company: give the company's keys");
        }

        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.CompiledFlags.TryGetValue(flagKey, out var flag))
        {
            Errors.NotFound("flag");
        }

        var subtype = catalog.Features.Values.FirstOrDefault(f => f.FlagId == flag.Id && f.FeatureType == FeatureType.Event)?.EventSubtype
            ?? throw new RequestException(StatusCodes.Status422UnprocessableEntity, $"flag: {flagKey} does not belong to an event-based feature; only usage can be tracked against a limit");
        var found = await runtime.FindCompanyAsync(companyKeys, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
        var user = request.User is { Count: > 0 } userKeys
            ? await runtime.FindUserAsync(userKeys, cancellationToken).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "user not found")
            : null;

        var gate = _stripes[(int)((uint)HashCode.Combine(scope.EnvironmentId, found.Record.Id) % (uint)_stripes.Length)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var nodesLock = await AdvisoryLock.ForCompanyAsync(database, scope.EnvironmentId, found.Record.Id, cancellationToken).ConfigureAwait(false);
            if (nodesLock.IsHeld)
            {
                await counters.RefreshAsync(scope.EnvironmentId, found.Record.Id, cancellationToken).ConfigureAwait(false);
            }

            var company = await runtime.FindCompanyAsync(companyKeys, cancellationToken, exactUsage: true).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
            var now = time.GetUtcNow();
            var options = quantity > 1 ? new CheckOptions { EventUsage = new EventUsage { EventSubtype = subtype, Quantity = quantity - 1 } } : null;
            var answer = CheckResponseMapper.ToResponse(flag.Check(company.Compiled, user?.Compiled, options, now));
            if (!answer.Value)
            {
                return new CheckAndTrackResponse(answer, 0, false);
            }

            var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["event"] = subtype,
                ["company"] = companyKeys,
                ["quantity"] = quantity,
            });
            var outcome = await pipeline.AppendAsync(
                [new AcceptedEvent(scope.EnvironmentId, EventType.Track, subtype, company.Record.Id, user?.Record.Id, quantity, now, now, false, request.IdempotencyKey, body, company.Record.Subscription)],
                CancellationToken.None).ConfigureAwait(false);
            return new CheckAndTrackResponse(answer, outcome.Appended == 1 ? quantity : 0, outcome.Duplicates == 1);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }
}
