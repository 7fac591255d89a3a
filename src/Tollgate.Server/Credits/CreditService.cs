using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>A company's credits through the API: grants, zero-outs, balances, postpaid settings and direct burns.</summary>
internal sealed class CreditService(
    ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, ChangeFeed changes, CreditTypeService creditTypes, CreditSpendPolicyService spendPolicies, BalanceGate gate,
    TimeProvider time, CreditLedger ledger)
{
    public static readonly (string, string)[] GrantReasons =
    [
        ("purchased", "purchased"), ("free", "free"), ("adjustment", "adjustment"), ("plan", "plan"), ("rollover", "rollover"),
        ("billing_credit_auto_topup", "billing_credit_auto_topup"), ("postpaid_overdraft", "postpaid_overdraft"), ("postpaid_settlement", "postpaid_settlement"),
        ("postpaid_forgiven", "postpaid_forgiven"),
    ];

    private static readonly (string, string)[] ZeroOutReasons =
    [
        ("manual", "manual"), ("expired", "expired"), ("plan_change", "plan_change"), ("plan_period_reset", "plan_period_reset"), ("reconciled", "reconciled"),
        ("customer_archived", "customer_archived"), ("integration_uninstalled", "integration_uninstalled"), ("license_retired", "license_retired"),
    ];

    public async Task<CompanyGrantResponse> GrantAsync(RequestScope scope, CompanyGrantRequest request, CancellationToken cancellationToken)
    {
        var company = await RequireCompanyAsync(scope, request.CompanyId, cancellationToken).ConfigureAwait(false);
        var credit = await creditTypes.RequireAsync(scope.EnvironmentId, request.CreditId, "credit_id", cancellationToken).ConfigureAwait(false);
        var quantity = Positive(request.Quantity, "quantity");
        var reason = Validate.OneOf(request.Reason, "reason", GrantReasons);
        var now = time.GetUtcNow();
        var expiresAt = GrantExpiry.Of(request, credit, company, now);

        var note = Validate.Bounded(request.Note, "note");
        var key = new BalanceKey(scope.EnvironmentId, company.Id, credit.Id);
        using var turn = await gate.EnterAsync(key, cancellationToken).ConfigureAwait(false);
        var grantId = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
                var grant = new NewGrant(quantity, reason, expiresAt, note, SourceRef: scope.ApiKeyId);
                var id = await CreditBook.GrantAsync(connection, transaction, key, grant, now).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "create", "credit_grant", id, company.Id, null, grant with { SourceRef = null })
                    .ConfigureAwait(false);
                return id;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Credits, [company.Id])).ConfigureAwait(false);
        return await GetGrantAsync(scope, grantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CompanyGrantResponse> ZeroOutAsync(RequestScope scope, string grantId, ZeroOutRequest? request, CancellationToken cancellationToken)
    {
        var reason = request?.Reason is null ? "manual" : Validate.OneOf(request.Reason, "reason", ZeroOutReasons);
        var before = await FindGrantAsync(scope.EnvironmentId, grantId, cancellationToken).ConfigureAwait(false) ?? throw GrantNotFound();
        var now = time.GetUtcNow();
        var key = new BalanceKey(scope.EnvironmentId, before.CompanyId, before.CreditTypeId);
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
                var current = await connection.QuerySingleAsync<GrantRow>(
                    $"SELECT {GrantRow.Columns} FROM credit_grants WHERE environment_id = @EnvironmentId AND id = @grantId", new { key.EnvironmentId, grantId }, transaction).ConfigureAwait(false);
                if (current.EndedAt is not null)
                {
                    Errors.Conflict("grant", current.EndReason == "expired" ? "has already expired" : "is already zeroed out");
                }

                await CreditBook.EndGrantAsync(connection, transaction, key, grantId, current.Remaining, "zero_out", reason, now).ConfigureAwait(false);
                await audit.RecordAsync<object>(
                    connection, transaction, scope, scope.EnvironmentId, "zero_out", "credit_grant", grantId, before.CompanyId, new { remaining = current.Remaining }, new { remaining = 0, reason })
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Credits, [before.CompanyId])).ConfigureAwait(false);
        return await GetGrantAsync(scope, grantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CompanyGrantResponse>> ListGrantsAsync(RequestScope scope, string? companyId, string? creditId, Paging paging, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<GrantRow>(
            new CommandDefinition(
                $"""
                SELECT {GrantRow.Columns} FROM credit_grants
                WHERE {GrantFilter(companyId, creditId)}
                ORDER BY created_at, id LIMIT @limit OFFSET @offset
                """,
                new { environmentId = scope.EnvironmentId, companyId = NullIfEmpty(companyId), creditId = NullIfEmpty(creditId), limit = paging.Limit, offset = paging.Offset },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        var result = new List<CompanyGrantResponse>();
        foreach (var row in rows)
        {
            result.Add(await ToResponseAsync(scope, row, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>
    /// How many grants (ended or not) match: of the whole environment, migration 50's total, kept as grants are written (one
    /// row, whatever the number of companies); of a company or a credit type, an index range of its grants.
    /// </summary>
    public async Task<long> CountGrantsAsync(RequestScope scope, string? companyId, string? creditId, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (NullIfEmpty(companyId) is null && NullIfEmpty(creditId) is null)
        {
            return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT grants FROM credit_grant_totals WHERE environment_id = @environmentId",
                new { environmentId = scope.EnvironmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
        }

        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(
                $"SELECT COUNT(*) FROM credit_grants WHERE {GrantFilter(companyId, creditId)}",
                new { environmentId = scope.EnvironmentId, companyId = NullIfEmpty(companyId), creditId = NullIfEmpty(creditId) },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The grants' conditions: the environment, and only the filters given. "@x IS NULL OR column = @x" kept SQLite from
    /// the index of a company's grants: a company page scanned every grant of the environment (about half its time at
    /// 100,000 companies after the plans' grants were issued).
    /// </summary>
    private static string GrantFilter(string? companyId, string? creditId) =>
        "environment_id = @environmentId"
        + (NullIfEmpty(companyId) is null ? string.Empty : " AND company_id = @companyId")
        + (NullIfEmpty(creditId) is null ? string.Empty : " AND credit_type_id = @creditId");

    /// <summary>The company's balances now, one per credit type it has ever had, by credit id.</summary>
    public async Task<IReadOnlyList<BalanceResponse>> BalancesAsync(RequestScope scope, string? companyId, CancellationToken cancellationToken)
    {
        var id = Validate.Required(companyId, "company_id");
        var company = await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, id, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
        var now = time.GetUtcNow();
        var credits = await CreditsLoader.LoadAsync(store, now, scope.EnvironmentId, company, cancellationToken).ConfigureAwait(false);
        return [.. credits.At(now).Values.OrderBy(b => b.CreditTypeId, StringComparer.Ordinal).Select(ToResponse)];
    }

    /// <summary>Sets whether a balance may go below zero, and how far.</summary>
    public async Task<BalanceResponse> SetOverdraftAsync(RequestScope scope, OverdraftRequest request, CancellationToken cancellationToken)
    {
        var company = await RequireCompanyAsync(scope, request.CompanyId, cancellationToken).ConfigureAwait(false);
        var credit = await creditTypes.RequireAsync(scope.EnvironmentId, request.CreditTypeId, "credit_type_id", cancellationToken).ConfigureAwait(false);
        var postpaid = request.PostpaidEnabled ?? throw new RequestException(StatusCodes.Status400BadRequest, "postpaid_enabled: is required");
        if (request.OverdraftLimit is { } limit && (limit < 0 || !double.IsFinite(limit)))
        {
            Errors.BadRequest("overdraft_limit", "must be a finite number ≥ 0");
        }

        var key = new BalanceKey(scope.EnvironmentId, company.Id, credit.Id);
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await CreditBook.LockAsync(connection, transaction, key, time.GetUtcNow()).ConfigureAwait(false);
                var before = await CreditBook.ReadAsync(connection, transaction, key).ConfigureAwait(false);
                await CreditBook.SetPostpaidAsync(connection, transaction, key, postpaid, postpaid ? request.OverdraftLimit : null).ConfigureAwait(false);
                await audit.RecordAsync<object>(
                    connection, transaction, scope, scope.EnvironmentId, "update", "credit_overdraft", $"{company.Id}:{credit.Id}", company.Id,
                    new { postpaid_enabled = before.Postpaid == 1, overdraft_limit = before.OverdraftLimit },
                    new { postpaid_enabled = postpaid, overdraft_limit = postpaid ? request.OverdraftLimit : null })
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Credits, [company.Id])).ConfigureAwait(false);
        return (await BalancesAsync(scope, company.Id, cancellationToken).ConfigureAwait(false)).Single(b => b.CreditId == credit.Id);
    }

    /// <summary>Burns credits now if the balance (plus the overdraft) covers them all; 422 naming <c>amount</c> if not.</summary>
    public async Task<BalanceResponse> ConsumeAsync(RequestScope scope, ConsumeRequest request, CancellationToken cancellationToken)
    {
        var company = await RequireCompanyAsync(scope, request.CompanyId, cancellationToken).ConfigureAwait(false);
        var credit = await creditTypes.RequireAsync(scope.EnvironmentId, request.CreditTypeId, "credit_type_id", cancellationToken).ConfigureAwait(false);
        var amount = Positive(request.Amount, "amount");
        var reason = Validate.Bounded(request.Reason, "reason") ?? "api";
        var sourceRef = Validate.Bounded(request.SourceRef, "source_ref");
        await spendPolicies.EnforceAsync(scope.EnvironmentId, company.Id, null, credit.Id, amount, "amount", cancellationToken).ConfigureAwait(false);
        var key = new BalanceKey(scope.EnvironmentId, company.Id, credit.Id);
        bool burnt;
        using (await gate.EnterAsync(key, cancellationToken).ConfigureAwait(false))
        {
            burnt = await store.Database.WriteAsync(
                (connection, transaction) => ledger.ConsumeAsync(connection, transaction, key.EnvironmentId, key.CompanyId, key.CreditTypeId, amount, reason, sourceRef, strict: true),
                cancellationToken).ConfigureAwait(false);
        }

        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Credits, [company.Id])).ConfigureAwait(false);
        if (!burnt)
        {
            Errors.Unprocessable("amount", "exceeds the available balance");
        }

        return (await BalancesAsync(scope, company.Id, cancellationToken).ConfigureAwait(false)).Single(b => b.CreditId == credit.Id);
    }

    public async Task<CompanyRecord> RequireCompanyAsync(RequestScope scope, string? companyId, CancellationToken cancellationToken)
    {
        var id = Validate.Required(companyId, "company_id");
        return await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, id, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status400BadRequest, "company_id: must name an existing company");
    }

    public static double Positive(double? value, string field)
    {
        if (value is not { } number || number <= 0 || !double.IsFinite(number))
        {
            Errors.BadRequest(field, "must be a finite number > 0");
        }

        return value.Value;
    }

    internal static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static BalanceResponse ToResponse(CreditBalance b) =>
        new(b.CreditTypeId, b.Remaining, b.Reserved, b.Settled, b.Total, "schematic", b.Postpaid, b.Postpaid ? b.OverdraftLimit : null);

    private static RequestException GrantNotFound() => new(StatusCodes.Status404NotFound, "grant not found");

    private async Task<CompanyGrantResponse> GetGrantAsync(RequestScope scope, string grantId, CancellationToken cancellationToken) =>
        await ToResponseAsync(scope, await FindGrantAsync(scope.EnvironmentId, grantId, cancellationToken).ConfigureAwait(false) ?? throw GrantNotFound(), cancellationToken)
            .ConfigureAwait(false);

    private async Task<GrantRow?> FindGrantAsync(string environmentId, string grantId, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<GrantRow>(
            new CommandDefinition(
                $"SELECT {GrantRow.Columns} FROM credit_grants WHERE environment_id = @environmentId AND id = @grantId",
                new { environmentId, grantId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private async Task<CompanyGrantResponse> ToResponseAsync(RequestScope scope, GrantRow row, CancellationToken cancellationToken)
    {
        var company = await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, row.CompanyId, cancellationToken).ConfigureAwait(false);
        var credit = await store.GetAsync<CreditTypeRecord>(scope.EnvironmentId, CreditKinds.CreditType, row.CreditTypeId, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var planName = row.PlanId is { } planId && catalog.Plans.TryGetValue(planId, out var plan) ? plan.Name : null;
        return row.ToResponse(time.GetUtcNow(), company?.Name ?? string.Empty, credit, planName);
    }
}
