using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// Spend policies, and the cap they put on a draw. A draw is one call that takes credits on purpose: a direct burn
/// (<c>POST /billing/credits/consume</c>), a reservation, a check-and-reserve, a lease or a lease's extension. A
/// tracked event is not a draw (its usage has already happened) and is never refused by a policy.
/// </summary>
internal sealed class CreditSpendPolicyService(ResourceStore store, AuditLog audit, CreditTypeService creditTypes, TimeProvider time)
{
    private static readonly (string, string)[] Scopes = [("company", "company"), ("user", "user"), ("group", "group")];

    public async Task<CreditSpendPolicyRecord> CreateAsync(RequestScope scope, CreditSpendPolicyRequest request, CancellationToken cancellationToken)
    {
        var credit = await creditTypes.RequireAsync(scope.EnvironmentId, request.BillingCreditId, "billing_credit_id", cancellationToken).ConfigureAwait(false);
        var companyId = CreditService.NullIfEmpty(request.CompanyId);
        var userId = CreditService.NullIfEmpty(request.UserId);
        if ((companyId is null) == (userId is null))
        {
            Errors.BadRequest("company_id", "set exactly one of company_id and user_id");
        }

        if (companyId is not null && await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("company_id", "must name an existing company");
        }

        if (userId is not null && await store.GetAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, userId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("user_id", "must name an existing user");
        }

        var now = time.GetUtcNow();
        var record = new CreditSpendPolicyRecord
        {
            Id = Ids.New("bcsp"),
            BillingCreditId = credit.Id,
            CompanyId = companyId,
            UserId = userId,
            ScopeType = companyId is not null ? "company" : "user",
            Label = Validate.Bounded(request.Label, "label"),
            MaxPerDraw = MaxPerDraw(request.MaxPerDraw ?? throw new RequestException(StatusCodes.Status400BadRequest, "max_per_draw: is required")),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await SaveAsync(scope, null, record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<CreditSpendPolicyRecord> UpdateAsync(RequestScope scope, string policyId, CreditSpendPolicyRequest request, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope.EnvironmentId, policyId, cancellationToken).ConfigureAwait(false);
        var after = before with
        {
            Label = request.Label is null ? before.Label : Validate.Bounded(request.Label, "label"),
            MaxPerDraw = request.MaxPerDraw is { } max ? MaxPerDraw(max) : before.MaxPerDraw,
            UpdatedAt = time.GetUtcNow(),
        };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string policyId, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync<CreditSpendPolicyRecord>(scope.EnvironmentId, CreditKinds.SpendPolicy, policyId, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, CreditKinds.SpendPolicy, policyId).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", CreditKinds.SpendPolicy, policyId, before.CompanyId, before, null)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<CreditSpendPolicyRecord> GetAsync(string environmentId, string policyId, CancellationToken cancellationToken) =>
        await store.GetAsync<CreditSpendPolicyRecord>(environmentId, CreditKinds.SpendPolicy, policyId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "spend policy not found");

    /// <summary>The policies, oldest first, filtered as <c>ListCreditSpendPoliciesParams</c> says.</summary>
    public async Task<IReadOnlyList<CreditSpendPolicyRecord>> ListAsync(
        string environmentId, string? creditId, string? companyId, string? userId, IReadOnlyCollection<string>? userIds, string? scopeType, CancellationToken cancellationToken)
    {
        if (scopeType is not null)
        {
            Validate.OneOf(scopeType, "scope_type", Scopes);
        }

        var all = await store.ListAllAsync<CreditSpendPolicyRecord>(environmentId, CreditKinds.SpendPolicy, cancellationToken).ConfigureAwait(false);
        return
        [
            .. all.Where(p => (creditId is null || p.BillingCreditId == creditId) && (companyId is null || p.CompanyId == companyId) && (userId is null || p.UserId == userId)
                && (userIds is null || userIds.Count == 0 || (p.UserId is not null && userIds.Contains(p.UserId))) && (scopeType is null || p.ScopeType == scopeType)),
        ];
    }

    /// <summary>
    /// The most one draw of <paramref name="creditTypeId"/> may take for the company (and the user, when the draw is
    /// made for one): the smallest cap of the policies that apply; null when none does.
    /// </summary>
    public async Task<double?> CapAsync(string environmentId, string companyId, string? userId, string creditTypeId, CancellationToken cancellationToken)
    {
        var all = await store.ListAllAsync<CreditSpendPolicyRecord>(environmentId, CreditKinds.SpendPolicy, cancellationToken).ConfigureAwait(false);
        double? cap = null;
        foreach (var policy in all)
        {
            var applies = policy.BillingCreditId == creditTypeId && policy.MaxPerDraw is not null
                && ((policy.ScopeType == "company" && policy.CompanyId == companyId) || (policy.ScopeType == "user" && userId is not null && policy.UserId == userId));
            if (applies)
            {
                cap = Math.Min(cap ?? double.PositiveInfinity, policy.MaxPerDraw!.Value);
            }
        }

        return cap;
    }

    /// <summary>Refuses (422 naming <paramref name="field"/>) a draw of <paramref name="amount"/> over the cap.</summary>
    public async Task EnforceAsync(string environmentId, string companyId, string? userId, string creditTypeId, double amount, string field, CancellationToken cancellationToken)
    {
        if (await CapAsync(environmentId, companyId, userId, creditTypeId, cancellationToken).ConfigureAwait(false) is { } cap && amount > cap)
        {
            Errors.Unprocessable(field, $"exceeds the spend policy's max_per_draw of {cap.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static double MaxPerDraw(double value)
    {
        if (value <= 0 || !double.IsFinite(value))
        {
            Errors.BadRequest("max_per_draw", "must be a finite number > 0");
        }

        return value;
    }

    private Task<bool> SaveAsync(RequestScope scope, CreditSpendPolicyRecord? before, CreditSpendPolicyRecord after, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, CreditKinds.SpendPolicy, after.Id, null, after.BillingCreditId, before, after)
                    .ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", CreditKinds.SpendPolicy, after.Id, after.CompanyId, before, after)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
