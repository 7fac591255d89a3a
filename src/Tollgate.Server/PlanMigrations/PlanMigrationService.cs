using System.Data.Common;
using Microsoft.Extensions.Options;
using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// Plan version migrations (Schematic's <c>/plan-version-migrations</c>): created here (by the API, or by publishing a
/// version) with one row per company, then worked off by <see cref="PlanMigrationRunner"/>. Every write is audited.
/// </summary>
internal sealed class PlanMigrationService(
    PlanMigrationStore store,
    ResourceStore resources,
    CompanyVersionMoves moves,
    ChangeFeed changes,
    RuntimeRegistry runtimes,
    AuditLog audit,
    PlanMigrationRunner runner,
    PlanMigrationSignal signal,
    IOptions<PlanMigrationOptions> options,
    TimeProvider time)
{
    public const string AuditKind = "plan_version_migration";
    public const string CompanyAuditKind = "plan_version_company_migration";

    public async Task<PlanMigrationResponse> CreateAsync(RequestScope scope, CreateMigrationRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var target = MigrationTarget.Resolve(catalog, request.PlanId, request.PlanVersionIdTo, request.PlanVersionIdsFrom, request.TargetPlanType);
        var strategy = PlanMigrationValues.OneOf(request.Strategy, "strategy", PlanMigrationValues.Strategies);
        var proration = request.ProrationBehavior is null ? null : PlanMigrationValues.OneOf(request.ProrationBehavior, "proration_behavior", PlanMigrationValues.ProrationBehaviors);
        var only = MigrationTarget.Ids(request.CompanyIds, "company_ids");
        var excluded = MigrationTarget.Ids(request.ExcludedCompanyIds, "excluded_company_ids") ?? [];
        var created = await store.Database.WriteAsync(
            (connection, transaction) => CreateInTransactionAsync(connection, transaction, scope, catalog, target, strategy, proration, only, excluded, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        signal.Wake();
        return await DescribeAsync(scope.EnvironmentId, created, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a migration inside the caller's transaction (publishing a version creates its own this way): one row per
    /// company on an origin version, skipped for the excluded ones (they keep their version). With <c>leave</c> nobody
    /// moves and the migration is complete at once. 409 while another migration of the plan is open.
    /// </summary>
    public async Task<PlanMigrationRecord> CreateInTransactionAsync(
        DbConnection connection,
        DbTransaction transaction,
        RequestScope scope,
        CatalogSnapshot catalog,
        MigrationTarget target,
        string strategy,
        string? proration,
        IReadOnlyList<string>? only,
        IReadOnlyList<string> excluded,
        CancellationToken cancellationToken)
    {
        if (await PlanMigrationStore.OpenOfPlanAsync(connection, transaction, scope.EnvironmentId, target.Plan.Id).ConfigureAwait(false) is { } open)
        {
            Errors.Conflict("plan_id", $"migration {open} of the plan is still running; cancel it or wait for it to finish");
        }

        // Companies are not indexed by plan: the environment's companies are read once per migration.
        var companies = await resources.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var known = companies.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        MigrationTarget.MustExist(excluded, known, "excluded_company_ids");
        MigrationTarget.MustExist(only, known, "company_ids");
        var now = time.GetUtcNow();
        var id = Ids.New("pvm");
        var excludedSet = excluded.ToHashSet(StringComparer.Ordinal);
        var rows = strategy == PlanMigrationValues.Leave
            ? []
            : target.Candidates(catalog, companies, only, now).Select(c => new CompanyMigrationRow
            {
                Id = Ids.New("pvcm"),
                MigrationId = id,
                CompanyId = c.Company.Id,
                CompanyName = c.Company.Name ?? c.Company.Id,
                PlanVersionIdFrom = c.FromVersionId,
                Status = excludedSet.Contains(c.Company.Id) ? PlanMigrationValues.Skipped : PlanMigrationValues.Pending,
                CreatedAt = now.ToUnixTimeMilliseconds(),
                UpdatedAt = now.ToUnixTimeMilliseconds(),
            }).ToList();
        var anyPending = rows.Any(r => r.Status == PlanMigrationValues.Pending);
        var migration = new PlanMigrationRecord
        {
            Id = id,
            PlanId = target.Plan.Id,
            PlanVersionIdTo = target.To.Id,
            PlanVersionIdsFrom = target.From,
            Strategy = strategy,
            ProrationBehavior = proration,
            Status = anyPending ? PlanMigrationValues.Pending : PlanMigrationValues.Completed,
            TotalCompanies = rows.Count,
            CreatedByKeyId = scope.ApiKeyId,
            CreatedAt = now,
            UpdatedAt = now,
            StartedAt = anyPending ? null : now,
            CompletedAt = anyPending ? null : now,
        };
        await PlanMigrationStore.InsertAsync(connection, transaction, scope.EnvironmentId, migration).ConfigureAwait(false);
        await PlanMigrationStore.InsertRowsAsync(connection, transaction, scope.EnvironmentId, rows).ConfigureAwait(false);
        await audit.RecordAsync<PlanMigrationRecord>(connection, transaction, scope, scope.EnvironmentId, "create", AuditKind, id, null, null, migration).ConfigureAwait(false);
        return migration;
    }

    /// <summary>
    /// Runs the migration in this request for up to <see cref="PlanMigrationOptions.InlineTimeout"/> (publishing moves a
    /// plan's companies before it answers); what is left then is the background runner's.
    /// </summary>
    public async Task RunInlineAsync(string environmentId, string migrationId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.InlineTimeout);
        try
        {
            await runner.RunAsync(environmentId, migrationId, wait: true, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            signal.Wake();
        }
    }

    public async Task<PlanMigrationResponse> GetAsync(RequestScope scope, string id, CancellationToken cancellationToken) =>
        await DescribeAsync(scope.EnvironmentId, await RequireAsync(scope, id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The environment's migrations, oldest first, filtered as Schematic's list is (a feature filter matches none: no migration here belongs to a feature rollout).</summary>
    public async Task<IReadOnlyList<PlanMigrationRecord>> SelectAsync(RequestScope scope, ListQuery query, CancellationToken cancellationToken)
    {
        var status = query.One("status") is { } s ? PlanMigrationValues.OneOf(s, "status", PlanMigrationValues.MigrationStatuses) : null;
        var versionId = query.One("plan_version_id");
        var featureId = query.One("feature_id");
        var all = await store.ListAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(m => featureId is null
            && (status is null || m.Status == status)
            && (versionId is null || m.PlanVersionIdTo == versionId || m.PlanVersionIdsFrom.Contains(versionId)))];
    }

    public async Task<IReadOnlyList<PlanMigrationResponse>> DescribeAsync(string environmentId, IReadOnlyList<PlanMigrationRecord> migrations, CancellationToken cancellationToken)
    {
        var ids = migrations.Select(m => m.Id).ToList();
        var counts = await store.CountsAsync(environmentId, ids, cancellationToken).ConfigureAwait(false);
        var due = await store.NextDueAsync(environmentId, ids, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        return [.. migrations.Select(m => PlanMigrationResponse.From(m, counts, due))];
    }

    /// <summary>
    /// Stops a migration: companies not yet moved are cancelled and keep their version, and so do those whose move is
    /// scheduled for later (end of billing period; their scheduled moves are dropped). Companies already moved stay moved.
    /// </summary>
    public async Task<PlanMigrationResponse> CancelAsync(RequestScope scope, string id, CancellationToken cancellationToken)
    {
        var unscheduled = new List<string>();
        var cancelled = await ChangeAsync(
            scope,
            id,
            async (connection, transaction, before, now) =>
            {
                var at = now.ToUnixTimeMilliseconds();
                var scheduled = await PlanMigrationStore.CancelScheduledAsync(connection, transaction, scope.EnvironmentId, id, at).ConfigureAwait(false);
                if (!before.IsOpen && scheduled.Count == 0)
                {
                    Errors.Unprocessable("status", $"only a migration with companies still to move can be cancelled; this one is {before.Status}");
                }

                await store.SetStatusAsync(
                    connection, transaction, scope.EnvironmentId, id, [PlanMigrationValues.Pending, PlanMigrationValues.InProgress], PlanMigrationValues.Cancelled, at).ConfigureAwait(false);
                unscheduled.AddRange(await moves.UnscheduleAsync(connection, transaction, scope, scheduled, before.PlanId, before.PlanVersionIdTo, now).ConfigureAwait(false));
                return before with { Status = PlanMigrationValues.Cancelled, CompletedAt = now, UpdatedAt = now };
            },
            cancellationToken).ConfigureAwait(false);
        if (unscheduled.Count > 0)
        {
            await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Company, [.. unscheduled])).ConfigureAwait(false);
        }

        return await DescribeAsync(scope.EnvironmentId, cancelled, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves at once what is left: the companies not moved yet, and those scheduled for the end of their billing period
    /// (their rows are worked again, as <c>immediate</c>). Runs in this request like a publish.
    /// </summary>
    public async Task<PlanMigrationResponse> CompleteNowAsync(RequestScope scope, string id, CompleteMigrationNowRequest? request, CancellationToken cancellationToken)
    {
        var proration = request?.ProrationBehavior is { } asked ? PlanMigrationValues.OneOf(asked, "proration_behavior", PlanMigrationValues.ProrationBehaviors) : null;
        await ChangeAsync(
            scope,
            id,
            async (connection, transaction, before, now) =>
            {
                if (before.Status == PlanMigrationValues.Cancelled)
                {
                    Errors.Unprocessable("status", "a cancelled migration cannot be completed");
                }

                var requeued = await PlanMigrationStore.RequeueScheduledAsync(connection, transaction, scope.EnvironmentId, id, now.ToUnixTimeMilliseconds()).ConfigureAwait(false);
                return before with
                {
                    CompleteNow = true,
                    ProrationBehavior = proration ?? before.ProrationBehavior,
                    Status = before.IsOpen || requeued > 0 ? PlanMigrationValues.InProgress : before.Status,
                    CompletedAt = before.IsOpen || requeued > 0 ? null : before.CompletedAt,
                    UpdatedAt = now,
                };
            },
            cancellationToken).ConfigureAwait(false);
        await RunInlineAsync(scope.EnvironmentId, id, cancellationToken).ConfigureAwait(false);
        return await GetAsync(scope, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The failed companies whose error code is one of <c>error_codes</c> are tried again.</summary>
    public async Task<PlanMigrationResponse> RetryAsync(RequestScope scope, string id, RetryMigrationRequest? request, CancellationToken cancellationToken)
    {
        var given = request?.ErrorCodes;
        if (given is not { Count: > 0 })
        {
            Errors.BadRequest("error_codes", "name at least one error code to retry");
        }

        var codes = given.Select((c, i) => PlanMigrationValues.OneOf(c, $"error_codes[{i}]", PlanMigrationValues.ErrorCodes)).Distinct().ToList();
        var retried = await ChangeAsync(
            scope,
            id,
            async (connection, transaction, before, now) =>
            {
                if (before.Status == PlanMigrationValues.Cancelled)
                {
                    Errors.Unprocessable("status", "a cancelled migration cannot be retried");
                }

                var requeued = await store.SetStatusAsync(
                    connection, transaction, scope.EnvironmentId, id, [PlanMigrationValues.Failed], PlanMigrationValues.Pending, now.ToUnixTimeMilliseconds(), codes).ConfigureAwait(false);
                return requeued == 0 ? before : before with { Status = PlanMigrationValues.InProgress, Error = null, CompletedAt = null, UpdatedAt = now };
            },
            cancellationToken).ConfigureAwait(false);
        signal.Wake();
        return await DescribeAsync(scope.EnvironmentId, retried, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One failed or skipped company is tried again; its migration runs again.</summary>
    public async Task<CompanyMigrationResponse> RetryCompanyAsync(RequestScope scope, string rowId, CancellationToken cancellationToken)
    {
        var retried = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await store.GetRowForUpdateAsync(connection, transaction, scope.EnvironmentId, rowId).ConfigureAwait(false);
                if (row is null)
                {
                    Errors.NotFound("plan version company migration");
                }

                // A skipped company (excluded, or no longer on an origin version when its turn came) may be asked for again too:
                // excluding a company from a migration and moving it later is how a grandfathering ends.
                if (row.Status is not (PlanMigrationValues.Failed or PlanMigrationValues.Skipped))
                {
                    Errors.Unprocessable("status", $"only a failed or skipped company migration can be retried; this one is {row.Status}");
                }

                var migration = await store.GetForUpdateAsync(connection, transaction, scope.EnvironmentId, row.MigrationId).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Company migration {rowId} names no migration.");
                if (migration.Status == PlanMigrationValues.Cancelled)
                {
                    Errors.Unprocessable("status", "its migration was cancelled");
                }

                var now = time.GetUtcNow();
                var before = CompanyMigrationResponse.From(row);
                (row.Status, row.Error, row.ErrorCode, row.CompletedAt, row.UpdatedAt) = (PlanMigrationValues.Pending, null, null, null, now.ToUnixTimeMilliseconds());
                await PlanMigrationStore.UpdateRowAsync(connection, transaction, scope.EnvironmentId, row).ConfigureAwait(false);
                var reopened = migration with { Status = PlanMigrationValues.InProgress, Error = null, CompletedAt = null, UpdatedAt = now };
                await PlanMigrationStore.UpdateAsync(connection, transaction, scope.EnvironmentId, reopened).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", CompanyAuditKind, row.Id, row.CompanyId, before, CompanyMigrationResponse.From(row)).ConfigureAwait(false);
                return row;
            },
            cancellationToken).ConfigureAwait(false);
        signal.Wake();
        return CompanyMigrationResponse.From(retried);
    }

    public async Task<CompanyMigrationRow> RequireRowAsync(RequestScope scope, string rowId, CancellationToken cancellationToken) =>
        await store.GetRowAsync(scope.EnvironmentId, rowId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "plan version company migration not found");

    private async Task<PlanMigrationResponse> DescribeAsync(string environmentId, PlanMigrationRecord migration, CancellationToken cancellationToken) =>
        (await DescribeAsync(environmentId, [migration], cancellationToken).ConfigureAwait(false))[0];

    private async Task<PlanMigrationRecord> RequireAsync(RequestScope scope, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(scope.EnvironmentId, id, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "plan version migration not found");

    /// <summary>Changes a migration in one transaction with its audit record, the migration held meanwhile (the runner waits).</summary>
    private Task<PlanMigrationRecord> ChangeAsync(
        RequestScope scope, string id, Func<DbConnection, DbTransaction, PlanMigrationRecord, DateTimeOffset, Task<PlanMigrationRecord>> change, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync(connection, transaction, scope.EnvironmentId, id).ConfigureAwait(false);
                if (before is null)
                {
                    Errors.NotFound("plan version migration");
                }

                var after = await change(connection, transaction, before, time.GetUtcNow()).ConfigureAwait(false);
                if (!ReferenceEquals(after, before))
                {
                    await PlanMigrationStore.UpdateAsync(connection, transaction, scope.EnvironmentId, after).ConfigureAwait(false);
                    await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", AuditKind, id, null, before, after).ConfigureAwait(false);
                }

                return after;
            },
            cancellationToken);
}
