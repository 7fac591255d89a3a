using System.Globalization;
using System.Text.Json;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Usage;

/// <summary>What a request's events became.</summary>
public sealed record IntakeResult(DateTimeOffset CapturedAt, int Accepted, int Duplicates, IReadOnlyList<EventRejection> Rejected);

/// <summary>
/// Takes the events of one request: checks each, applies identifies (company and user upserts, committed before the
/// answer), resolves the company and user of tracks (creating a company named by unknown keys, so its usage is not
/// lost), and appends everything valid through the <see cref="IngestionPipeline"/>. An invalid event is rejected alone;
/// the others are kept.
/// </summary>
internal sealed class EventIntake(
    EnvironmentStore environments,
    PublishablePolicies policies,
    RuntimeRegistry runtimes,
    CompanyService companies,
    UserService users,
    CreditLeases leases,
    IngestionPipeline pipeline,
    Notifications.UsageThresholds thresholds,
    TimeProvider time)
{
    /// <summary>The most events one request may carry.</summary>
    public const int MaxEventsPerRequest = 1_000;

    /// <summary>The earliest time a trusted clock may date an event.</summary>
    public static readonly DateTimeOffset EarliestEventTime = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the server's clock a trusted client clock may be.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The largest quantity one track may report.</summary>
    public const long MaxQuantity = 1_000_000_000_000;

    public async Task<IntakeResult> IngestAsync(RequestScope? headerScope, JsonElement events, EventDialect dialect, CancellationToken cancellationToken)
    {
        if (events.ValueKind != JsonValueKind.Array)
        {
            Errors.BadRequest("events", "must be an array");
        }

        var count = events.GetArrayLength();
        if (count > MaxEventsPerRequest)
        {
            Errors.BadRequest("events", $"at most {MaxEventsPerRequest} events per request");
        }

        var receivedAt = time.GetUtcNow();
        var rejected = new List<EventRejection>();
        var inputs = new List<EventInput>(count);
        var index = 0;
        // The SDKs repeat the key in every event: hash and look it up once per request, by its text as sent.
        var scopes = new RawJsonMemo<RequestScope?>();
        async ValueTask<RequestScope?> AuthenticateAsync(JsonElement key)
        {
            if (!scopes.TryGet(key, out var scope))
            {
                scope = await environments.AuthenticateAsync(key.GetString()!, cancellationToken).ConfigureAwait(false);
                scopes.Set(key, scope);
            }

            return scope;
        }

        foreach (var element in events.EnumerateArray())
        {
            try
            {
                inputs.Add(await EventInput.ReadAsync(element, index, dialect, headerScope, AuthenticateAsync).ConfigureAwait(false));
            }
            catch (RequestException rejection)
            {
                rejected.Add(new EventRejection(index, rejection.Message));
            }

            index++;
        }

        // Identifies first: the SDKs do not keep order, and a track in the same batch may name the company they create.
        var accepted = new List<AcceptedEvent>(inputs.Count);
        var acceptedIndexes = new List<int>(inputs.Count);
        var resolver = new EntityResolver(runtimes, companies, policies, leases);
        // Two passes over the inputs rather than a sort: nothing is allocated per event for the order.
        foreach (var identifies in (bool[])[true, false])
        {
            foreach (var input in inputs)
            {
                if ((input.Type == EventType.Identify) != identifies)
                {
                    continue;
                }

                try
                {
                    accepted.Add(await AcceptAsync(input, resolver, receivedAt, cancellationToken).ConfigureAwait(false));
                    acceptedIndexes.Add(input.Index);
                }
                catch (RequestException rejection)
                {
                    rejected.Add(new EventRejection(input.Index, rejection.Message));
                }
            }
        }

        var outcome = await pipeline.AppendAsync(accepted, cancellationToken).ConfigureAwait(false);
        // The writer refuses an event alone when it would overflow a counter or the store refuses it.
        rejected.AddRange(outcome.Refused.Select(r => new EventRejection(acceptedIndexes[r.Position], r.Reason)));
        return new IntakeResult(receivedAt, outcome.Appended, outcome.Duplicates, [.. rejected.OrderBy(r => r.Index)]);
    }

    /// <summary>
    /// The accept-a-track path of <c>/batch</c> for one track sent another way (<c>check-and-track</c>): the same
    /// checks, the same company and user resolution, the same credit burns; the caller appends the event through the
    /// <see cref="IngestionPipeline"/> (the same outbox, idempotency window and counter ceiling). Throws <see cref="RequestException"/> naming the field when it is not acceptable.
    /// </summary>
    public async Task<AcceptedEvent> AcceptTrackAsync(RequestScope scope, JsonElement body, string? idempotencyKey, CancellationToken cancellationToken) =>
        await AcceptAsync(
            new EventInput(0, scope, EventType.Track, body, null, idempotencyKey, TrustedClientClock: false, Backfill: false),
            new EntityResolver(runtimes, companies, policies, leases),
            time.GetUtcNow(),
            cancellationToken).ConfigureAwait(false);

    // A ValueTask: most events complete without waiting, and a Task each would be one more allocation per event.
    private async ValueTask<AcceptedEvent> AcceptAsync(EventInput input, EntityResolver resolver, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        // A trusted clock dates the event: it must be a time usage can have happened at (history, or now give or take
        // clock skew), which also keeps every period computation of it within the calendar.
        if (input.TrustedClientClock && (input.SentAt < EarliestEventTime || input.SentAt > receivedAt + MaxClockSkew))
        {
            Errors.BadRequest("sent_at", $"with trusted_client_clock, must be from {EarliestEventTime:yyyy-MM-dd} to {MaxClockSkew.TotalMinutes} minutes from now");
        }

        var body = input.Body;
        string? subtype = null;
        string? companyId = null;
        string? userId = null;
        SubscriptionPeriod? subscription = null;
        IReadOnlyList<CreditBurn> burns = [];
        IReadOnlyList<Notifications.LimitWatch> limits = [];
        long quantity = 0;
        var policy = await resolver.PolicyOfAsync(input.Scope, cancellationToken).ConfigureAwait(false);
        var reachesBilling = policy is null || policy.UsageReachesBilling;
        ReservationRow? lease = null;
        switch (input.Type)
        {
            case EventType.Track:
                subtype = Validate.Required(EventInput.OptionalString(body, "event"), "body.event");
                quantity = Quantity(body);
                if (policy is not null && quantity > policy.MaxQuantity)
                {
                    Errors.BadRequest("body.quantity", $"at most {policy.MaxQuantity} per event with a publishable key (publishable policy max_quantity)");
                }

                // Read before anything is resolved: a refused event must not have created its company first.
                var userKeys = EventInput.OptionalKeys(body, "user", "body.user");
                if (userKeys is not null)
                {
                    CheckContextKeyCount(userKeys, "body.user");
                }

                if (await resolver.CompanyOfAsync(input.Scope, policy, body, cancellationToken).ConfigureAwait(false) is { } company)
                {
                    (companyId, subscription) = (company.Record.Id, company.Record.Subscription);
                    // History imported as backfill counts in metrics only: it burns no credits, as it bills nothing.
                    if (!input.Backfill && reachesBilling)
                    {
                        burns = await resolver.BurnsAsync(input.Scope, company, subtype, quantity, receivedAt, cancellationToken).ConfigureAwait(false);
                    }

                    if (thresholds.IsWatched(input.Scope.EnvironmentId))
                    {
                        limits = await resolver.LimitsAsync(input.Scope, company, subtype, thresholds, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (EventInput.OptionalString(body, "lease_id") is { } leaseId)
                {
                    lease = await resolver.LeaseOfAsync(input.Scope, leaseId, companyId, burns, cancellationToken).ConfigureAwait(false);
                }

                if (userKeys is { Count: > 0 })
                {
                    userId = await resolver.UserIdAsync(input.Scope, userKeys, cancellationToken).ConfigureAwait(false);
                }

                break;
            case EventType.Identify:
                (companyId, userId) = await IdentifyAsync(input.Scope, policy, body, cancellationToken).ConfigureAwait(false);
                break;
            default:
                Validate.Required(EventInput.OptionalString(body, "flag_key"), "body.flag_key");
                companyId = EventInput.OptionalString(body, "company_id");
                userId = EventInput.OptionalString(body, "user_id");
                break;
        }

        return new AcceptedEvent(
            input.Scope.EnvironmentId,
            input.Type,
            subtype,
            companyId,
            userId,
            quantity,
            input.TrustedClientClock ? input.SentAt!.Value : receivedAt,
            receivedAt,
            input.Backfill,
            input.IdempotencyKey,
            body.GetRawText(),
            subscription)
        {
            Burns = burns,
            Limits = limits,
            LeaseId = lease?.Id,
            LeaseCreditTypeId = lease?.CreditTypeId,
            ReachesBilling = reachesBilling,
        };
    }

    /// <summary>
    /// <c>identify</c>: upserts the company (when named) and the user, who becomes its member. With a publishable key
    /// (<paramref name="policy"/> not null) each upsert is held to the environment's publishable policy.
    /// </summary>
    private async Task<(string? CompanyId, string? UserId)> IdentifyAsync(RequestScope scope, PublishablePolicy? policy, JsonElement body, CancellationToken cancellationToken)
    {
        var userKeys = EventInput.OptionalKeys(body, "keys", "body.keys");
        string? companyId = null;
        Dictionary<string, string>? companyKeys = null;
        if (body.TryGetProperty("company", out var company) && company.ValueKind == JsonValueKind.Object)
        {
            companyKeys = EventInput.OptionalKeys(company, "keys", "body.company.keys");
            var record = await companies.UpsertAsync(
                scope,
                new UpsertCompanyRequest(
                    companyKeys,
                    EventInput.OptionalString(company, "name"),
                    EventInput.OptionalTraits(company, "traits", "body.company.traits"),
                    null,
                    null,
                    null,
                    null,
                    null),
                createOnly: false,
                cancellationToken,
                new EventWriteRules("body.company", policy)).ConfigureAwait(false);
            companyId = record.Id;
        }
        else if (body.TryGetProperty("company", out var notObject) && notObject.ValueKind != JsonValueKind.Null)
        {
            Errors.BadRequest("body.company", "must be an object");
        }

        if (userKeys is null && companyId is not null)
        {
            // A company-only identify.
            return (companyId, null);
        }

        var user = await users.UpsertAsync(
            scope,
            new UpsertUserRequest(
                userKeys,
                EventInput.OptionalString(body, "name"),
                EventInput.OptionalTraits(body, "traits", "body.traits"),
                companyKeys,
                null,
                null,
                null,
                null,
                null),
            createOnly: false,
            cancellationToken,
            new EventWriteRules("body", policy)).ConfigureAwait(false);
        return (companyId, user.Id);
    }

    private static long Quantity(JsonElement body)
    {
        if (!body.TryGetProperty("quantity", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 1;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var quantity) && quantity is >= 0 and <= MaxQuantity
            ? quantity
            : throw new RequestException(StatusCodes.Status400BadRequest, $"body.quantity: must be a whole number from 0 to {MaxQuantity}");
    }

    /// <summary>A check context (the keys naming one company or user) names at most <see cref="CompanyService.MaxKeys"/> keys.</summary>
    private static void CheckContextKeyCount(Dictionary<string, string> keys, string field)
    {
        if (keys.Count > CompanyService.MaxKeys)
        {
            Errors.BadRequest(field, $"at most {CompanyService.MaxKeys} keys");
        }
    }

    /// <summary>
    /// Finds companies, users, leases and the publishable policy once per request; a company named by unknown keys is
    /// created (with a publishable key, only where the policy lets it).
    /// </summary>
    private sealed class EntityResolver(RuntimeRegistry runtimes, CompanyService companies, PublishablePolicies policies, CreditLeases leases)
    {
        private readonly Dictionary<string, PublishablePolicy> _policies = new(StringComparer.Ordinal);
        private readonly Dictionary<(string EnvironmentId, string LeaseId), ReservationRow?> _leases = [];
        // By environment and the company object's JSON as sent: the events of a batch name their companies the same way,
        // so most events cost one lookup, and no parsing nor allocation.
        private readonly Dictionary<string, RawJsonMemo<CompanyView?>> _companies = new(StringComparer.Ordinal);
        private readonly Dictionary<(string CompanyId, string Subtype), List<CreditBurn>> _burnsPerUnit = [];
        private readonly Dictionary<(string CompanyId, string Subtype), IReadOnlyList<Notifications.LimitWatch>> _limits = [];
        private readonly Dictionary<string, string?> _users = new(StringComparer.Ordinal);

        /// <summary>The environment's publishable policy for a publishable key's event; null for a secret key's.</summary>
        public async ValueTask<PublishablePolicy?> PolicyOfAsync(RequestScope scope, CancellationToken cancellationToken)
        {
            if (scope.Kind != ApiKeyKind.Publishable)
            {
                return null;
            }

            if (!_policies.TryGetValue(scope.EnvironmentId, out var policy))
            {
                policy = await policies.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
                _policies[scope.EnvironmentId] = policy;
            }

            return policy;
        }

        /// <summary>
        /// The lease a track names in <c>body.lease_id</c>, which must be a lease of the event's company, of a credit
        /// type the event burns (when it burns any: otherwise nothing is held on it); else the event is refused.
        /// </summary>
        public async ValueTask<ReservationRow> LeaseOfAsync(
            RequestScope scope, string leaseId, string? companyId, IReadOnlyList<CreditBurn> burns, CancellationToken cancellationToken)
        {
            if (!_leases.TryGetValue((scope.EnvironmentId, leaseId), out var lease))
            {
                lease = await leases.FindAsync(scope.EnvironmentId, leaseId, cancellationToken).ConfigureAwait(false);
                _leases[(scope.EnvironmentId, leaseId)] = lease;
            }

            if (lease is null)
            {
                Errors.BadRequest("body.lease_id", "names no credit lease");
            }

            if (lease.CompanyId != companyId)
            {
                Errors.BadRequest("body.lease_id", "is a lease of another company than body.company names");
            }

            if (burns.Count > 0 && !burns.Any(b => b.CreditTypeId == lease.CreditTypeId))
            {
                Errors.BadRequest("body.lease_id", "holds another credit type than this event burns");
            }

            return lease;
        }

        /// <summary>The company a track's <c>body.company</c> names; null when it names none.</summary>
        public async ValueTask<CompanyView?> CompanyOfAsync(RequestScope scope, PublishablePolicy? policy, JsonElement body, CancellationToken cancellationToken)
        {
            if (!body.TryGetProperty("company", out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (!_companies.TryGetValue(scope.EnvironmentId, out var known))
            {
                _companies[scope.EnvironmentId] = known = new RawJsonMemo<CompanyView?>();
            }

            if (known.TryGet(element, out var view))
            {
                return view;
            }

            var keys = EventInput.OptionalKeys(body, "company", "body.company")!;
            CheckContextKeyCount(keys, "body.company");
            view = keys.Count == 0
                ? null
                : await FindCompanyAsync(scope, keys, cancellationToken).ConfigureAwait(false) ?? await CreateCompanyAsync(scope, policy, keys, cancellationToken).ConfigureAwait(false);
            known.Set(element, view);
            return view;
        }

        /// <summary>The limits usage of <paramref name="subtype"/> by the company counts against (computed once per request).</summary>
        public async ValueTask<IReadOnlyList<Notifications.LimitWatch>> LimitsAsync(
            RequestScope scope, CompanyView company, string subtype, Notifications.UsageThresholds thresholds, CancellationToken cancellationToken)
        {
            if (!_limits.TryGetValue((company.Record.Id, subtype), out var limits))
            {
                var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
                limits = await thresholds.WatchesForAsync(catalog, company, subtype, cancellationToken).ConfigureAwait(false);
                _limits[(company.Record.Id, subtype)] = limits;
            }

            return limits;
        }

        /// <summary>What <paramref name="quantity"/> uses of <paramref name="subtype"/> cost the company in credits (computed once per request).</summary>
        public async ValueTask<IReadOnlyList<CreditBurn>> BurnsAsync(RequestScope scope, CompanyView company, string subtype, long quantity, DateTimeOffset now, CancellationToken cancellationToken)
        {
            if (!_burnsPerUnit.TryGetValue((company.Record.Id, subtype), out var perUnit))
            {
                var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
                perUnit = CreditBurns.For(catalog, company, subtype, 1, now);
                _burnsPerUnit[(company.Record.Id, subtype)] = perUnit;
            }

            if (perUnit.Count == 0 || quantity == 0)
            {
                return [];
            }

            var burns = perUnit.Select(b => b with { Amount = b.Amount * quantity }).ToList();
            // Refused here, one by one, rather than failing the commit it would join (a rate × quantity can be infinite).
            if (burns.FirstOrDefault(b => !CreditBurns.IsPayable(b.Amount)) is { } unpayable)
            {
                Errors.BadRequest(
                    "body.quantity",
                    string.Create(CultureInfo.InvariantCulture, $"{quantity} at {unpayable.ConsumptionRate} credits each is {unpayable.Amount} credits of {unpayable.CreditTypeId}; one event may burn from 0 to {CreditBurns.MaxAmount}"));
            }

            return burns;
        }

        public async ValueTask<string?> UserIdAsync(RequestScope scope, Dictionary<string, string> keys, CancellationToken cancellationToken)
        {
            var cacheKey = scope.EnvironmentId + "\n" + string.Join("\n", keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value));
            if (!_users.TryGetValue(cacheKey, out var id))
            {
                id = (await runtimes.For(scope.EnvironmentId).FindUserAsync(keys, cancellationToken).ConfigureAwait(false))?.Record.Id;
                _users[cacheKey] = id;
            }

            return id;
        }

        private async Task<CompanyView?> FindCompanyAsync(RequestScope scope, Dictionary<string, string> keys, CancellationToken cancellationToken) =>
            await runtimes.For(scope.EnvironmentId).FindCompanyAsync(keys, cancellationToken, usageMayLag: true).ConfigureAwait(false);

        /// <summary>
        /// Creates the company the keys name. Concurrent requests may race to create the same one: the loser's
        /// transaction finds the keys taken (409, or a unique violation) and then finds the winner's company.
        /// </summary>
        private async Task<CompanyView?> CreateCompanyAsync(RequestScope scope, PublishablePolicy? policy, Dictionary<string, string> keys, CancellationToken cancellationToken)
        {
            // Refused before any write: a batch naming many unknown companies must not cost a transaction each.
            if (policy is { CreateCompanies: false })
            {
                throw new RequestException(
                    StatusCodes.Status403Forbidden,
                    "body.company: names no company, and this environment's publishable keys may not create one (publishable policy create_companies)");
            }

            try
            {
                await companies.UpsertAsync(
                    scope, new UpsertCompanyRequest(keys, null, null, null, null, null, null, null), createOnly: false, cancellationToken, new EventWriteRules("body.company", policy))
                    .ConfigureAwait(false);
                return await FindCompanyAsync(scope, keys, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception conflict) when (conflict is RequestException { StatusCode: StatusCodes.Status409Conflict } || Storage.UniqueViolation.Is(conflict))
            {
                runtimes.For(scope.EnvironmentId).CompanyKeysTaken();
                if (await FindCompanyAsync(scope, keys, cancellationToken).ConfigureAwait(false) is { } winner)
                {
                    return winner;
                }

                throw;
            }
        }
    }
}
