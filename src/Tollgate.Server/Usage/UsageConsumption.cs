using System.Text.Json;
using Tollgate.Engine;
using Tollgate.Server.Api;
using Tollgate.Server.Background;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
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
/// <para>
/// The usage allowed is accepted by the same path as a track of <c>POST /batch</c> (<see cref="EventIntake.AcceptTrackAsync"/>):
/// the same checks, credit burns, meter outbox, idempotency window and counter ceiling.
/// </para>
/// <para>
/// A call with an <c>idempotency_key</c> that recorded usage keeps its answer with the key, in the same commit; a call
/// that comes again with the key within 24 hours (on any node) is answered that first answer, marked
/// <c>duplicate</c>, without checking again. A refused call consumed nothing and keeps nothing, so its retry is checked
/// again.
/// </para>
/// <para>
/// Within a process a semaphore per company serialises the calls. On PostgreSQL, where several nodes may serve the same
/// company, each call also holds a PostgreSQL advisory lock on the company and reads its counters from the store under
/// it (change notices from other nodes arrive asynchronously, so memory alone could be a commit behind).
/// </para>
/// </remarks>
internal sealed class UsageConsumption(
    RuntimeRegistry runtimes, EventIntake intake, IngestionPipeline pipeline, UsageCounters counters, Database database, TimeProvider time) : IDisposable
{
    private static readonly JsonSerializerOptions AnswerJson = CreateAnswerJson();

    // Striped, so memory stays fixed however many companies consume.
    private readonly StripedLocks _companies = new(stripes: 256);

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

        using (await _companies.AcquireAsync((scope.EnvironmentId, found.Record.Id), cancellationToken).ConfigureAwait(false))
        {
            await using var nodesLock = await AdvisoryLock.ForCompanyAsync(database, scope.EnvironmentId, found.Record.Id, cancellationToken).ConfigureAwait(false);
            // Under the company's lock: a retry running beside its first attempt waits for it and then replays it.
            if (request.IdempotencyKey is { } idempotencyKey && await ReplayAsync(scope, idempotencyKey, cancellationToken).ConfigureAwait(false) is { } replay)
            {
                return replay;
            }

            if (nodesLock.IsHeld)
            {
                await counters.RefreshAsync(scope.EnvironmentId, found.Record.Id, cancellationToken).ConfigureAwait(false);
            }

            var company = await runtime.FindCompanyAsync(companyKeys, cancellationToken, exactUsage: true).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
            var options = quantity > 1 ? new CheckOptions { EventUsage = new EventUsage { EventSubtype = subtype, Quantity = quantity - 1 } } : null;
            var answer = CheckResponseMapper.ToResponse(flag.Check(company.Compiled, user?.Compiled, options, time.GetUtcNow()));
            if (!answer.Value)
            {
                return new CheckAndTrackResponse(answer, 0, false);
            }

            var response = new CheckAndTrackResponse(answer, quantity, false);
            var track = await AcceptAsync(scope, subtype, companyKeys, request.User, quantity, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            var outcome = await pipeline.AppendAsync([track with { Answer = JsonSerializer.Serialize(response, AnswerJson) }], CancellationToken.None).ConfigureAwait(false);
            if (outcome.Refused is [var refused])
            {
                throw new RequestException(StatusCodes.Status400BadRequest, WithoutBodyPrefix(refused.Reason));
            }

            if (outcome.Duplicates == 1)
            {
                // The key was used by an event of a batch (which keeps no answer): nothing more is counted.
                return await ReplayAsync(scope, request.IdempotencyKey!, cancellationToken).ConfigureAwait(false) ?? new CheckAndTrackResponse(answer, 0, true);
            }

            return response;
        }
    }

    /// <summary>The track of <c>/batch</c> this call stands for, accepted by the same path.</summary>
    private async Task<AcceptedEvent> AcceptAsync(
        RequestScope scope, string subtype, IReadOnlyDictionary<string, string> companyKeys, IReadOnlyDictionary<string, string>? userKeys, long quantity,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object> { ["event"] = subtype, ["company"] = companyKeys, ["quantity"] = quantity };
        if (userKeys is { Count: > 0 })
        {
            body["user"] = userKeys;
        }

        try
        {
            return await intake.AcceptTrackAsync(scope, JsonSerializer.SerializeToElement(body), idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestException refused)
        {
            throw new RequestException(refused.StatusCode, WithoutBodyPrefix(refused.Message));
        }
    }

    private async Task<CheckAndTrackResponse?> ReplayAsync(RequestScope scope, string idempotencyKey, CancellationToken cancellationToken)
    {
        var stored = await IdempotencyClaims.AnswerAsync(database, scope.EnvironmentId, idempotencyKey, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        return stored is null ? null : JsonSerializer.Deserialize<CheckAndTrackResponse>(stored, AnswerJson)! with { Duplicate = true };
    }

    /// <summary>The track's fields are this request's top-level ones: <c>body.quantity</c> is <c>quantity</c> here.</summary>
    private static string WithoutBodyPrefix(string message) => message.StartsWith("body.", StringComparison.Ordinal) ? message[5..] : message;

    private static JsonSerializerOptions CreateAnswerJson()
    {
        var options = new JsonSerializerOptions();
        ApiJson.Configure(options);
        return options;
    }

    public void Dispose() => _companies.Dispose();
}
