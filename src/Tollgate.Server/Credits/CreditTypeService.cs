using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>Credit types: create, read, update, list, count and soft delete.</summary>
internal sealed class CreditTypeService(ResourceStore store, AuditLog audit, TimeProvider time)
{
    private static readonly (string, string)[] BurnStrategies =
    [
        ("expiration_priority", "expiration_priority"), ("first_in_first_out", "first_in_first_out"), ("last_in_first_out", "last_in_first_out"),
        ("plan_first_then_credit_bundles_first_in_first_out", "plan_first_then_credit_bundles_first_in_first_out"),
    ];

    private static readonly (string, string)[] ExpiryUnits = [("days", "days"), ("billing_periods", "billing_periods")];

    private static readonly (string, string)[] RolloverPolicies = [("none", "none"), ("expire", "expire"), ("rollover", "rollover")];

    public async Task<CreditTypeRecord> CreateAsync(RequestScope scope, CreditTypeRequest request, CancellationToken cancellationToken)
    {
        var record = Build(Ids.New("bcrd"), request, null);
        await SaveAsync(scope, null, record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<CreditTypeRecord> UpdateAsync(RequestScope scope, string creditId, CreditTypeRequest request, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope.EnvironmentId, creditId, cancellationToken).ConfigureAwait(false);
        var after = Build(before.Id, request, before);
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string creditId, CancellationToken cancellationToken)
    {
        var before = await FindAsync(scope.EnvironmentId, creditId, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        await SaveAsync(scope, before, before with { DeletedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A credit type that exists and is not deleted; 404 otherwise.</summary>
    public async Task<CreditTypeRecord> GetAsync(string environmentId, string creditId, CancellationToken cancellationToken) =>
        await FindAsync(environmentId, creditId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "credit not found");

    /// <summary>A credit type that exists and is not deleted, or null.</summary>
    public async Task<CreditTypeRecord?> FindAsync(string environmentId, string creditId, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync<CreditTypeRecord>(environmentId, CreditKinds.CreditType, creditId, cancellationToken).ConfigureAwait(false);
        return record is { DeletedAt: null } ? record : null;
    }

    /// <summary>A credit type named by a request field; 400 naming the field if there is none.</summary>
    public async Task<CreditTypeRecord> RequireAsync(string environmentId, string? creditId, string field, CancellationToken cancellationToken)
    {
        var id = Validate.Required(creditId, field);
        return await FindAsync(environmentId, id, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status400BadRequest, $"{field}: must name an existing credit");
    }

    /// <summary>The credit types not deleted, oldest first, optionally filtered by name.</summary>
    public async Task<IReadOnlyList<CreditTypeRecord>> ListAsync(string environmentId, string? name, CancellationToken cancellationToken)
    {
        var all = await store.ListAllAsync<CreditTypeRecord>(environmentId, CreditKinds.CreditType, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(c => c.DeletedAt is null && (string.IsNullOrEmpty(name) || c.Name.Contains(name, StringComparison.OrdinalIgnoreCase)))];
    }

    private CreditTypeRecord Build(string id, CreditTypeRequest request, CreditTypeRecord? before)
    {
        if (request.DefaultExpiryUnitCount is < 1)
        {
            Errors.BadRequest("default_expiry_unit_count", "must be at least 1");
        }

        if (request.PerUnitPrice is { } price && (price < 0 || !double.IsFinite(price)))
        {
            Errors.BadRequest("per_unit_price", "must be a finite number ≥ 0");
        }

        var now = time.GetUtcNow();
        return new CreditTypeRecord
        {
            Id = id,
            Name = Validate.Required(request.Name, "name"),
            Description = Validate.Bounded(request.Description, "description") ?? before?.Description ?? string.Empty,
            Icon = Validate.Bounded(request.Icon, "icon") ?? before?.Icon,
            SingularName = Validate.Bounded(request.SingularName, "singular_name") ?? before?.SingularName,
            PluralName = Validate.Bounded(request.PluralName, "plural_name") ?? before?.PluralName,
            Currency = Validate.Bounded(request.Currency, "currency") ?? before?.Currency ?? "usd",
            PerUnitPrice = request.PerUnitPrice ?? before?.PerUnitPrice,
            BurnStrategy = request.BurnStrategy is null ? before?.BurnStrategy ?? "expiration_priority" : Validate.OneOf(request.BurnStrategy, "burn_strategy", BurnStrategies),
            DefaultExpiryUnit = request.DefaultExpiryUnit is null ? before?.DefaultExpiryUnit ?? "days" : Validate.OneOf(request.DefaultExpiryUnit, "default_expiry_unit", ExpiryUnits),
            DefaultExpiryUnitCount = request.DefaultExpiryUnitCount ?? before?.DefaultExpiryUnitCount,
            DefaultRolloverPolicy = request.DefaultRolloverPolicy is null
                ? before?.DefaultRolloverPolicy ?? "none"
                : Validate.OneOf(request.DefaultRolloverPolicy, "default_rollover_policy", RolloverPolicies),
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
    }

    private Task<bool> SaveAsync(RequestScope scope, CreditTypeRecord? before, CreditTypeRecord after, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, CreditKinds.CreditType, after.Id, null, null, before, after).ConfigureAwait(false);
                var action = before is null ? "create" : after.DeletedAt is not null ? "delete" : "update";
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, action, CreditKinds.CreditType, after.Id, null, before, after).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
