using System.Data.Common;
using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Erases the personal data of one company or user in one transaction (a data subject's erasure request):
/// <list type="bullet">
/// <item>the name, every trait, and every key but the application's <c>id</c> key (a user's <c>email</c> goes; a company's
/// <c>stripe_customer_id</c> stays, as invoicing needs it);</item>
/// <item>the bodies of the events that name it (the raw JSON an SDK sent, with keys and traits), replaced by
/// <see cref="ErasedBody"/>; the event rows stay, so usage history and counts are unchanged;</item>
/// <item>the before/after documents of its earlier audit entries (the entries stay, saying what was done and when).</item>
/// </list>
/// Kept: its Tollgate id, plans, overrides, usage counters, credit grants, balances and ledger, meter-outbox rows and
/// Stripe billing link — the records invoicing needs, which hold no personal data beyond the ids. A new audit entry
/// (<c>erase</c>) records that the erasure happened and what it covered, without the data. A company's users are
/// separate data subjects: erase each with the users call.
/// </summary>
internal sealed class PersonalDataEraser(ResourceStore store, AuditLog audit, ChangeFeed changes, TimeProvider time)
{
    /// <summary>The body an erased event is left with.</summary>
    public const string ErasedBody = """{"erased":true}""";

    /// <summary>The only key kept: the application's own identifier of the entity.</summary>
    public const string KeptKey = "id";

    /// <summary>Erases a company's personal data; 404 when there is no such company.</summary>
    public Task<ErasureResult> EraseCompanyAsync(RequestScope scope, string companyId, CancellationToken cancellationToken) =>
        EraseAsync(
            scope,
            EntityKinds.Company,
            companyId,
            "company_id",
            (company, now) => company with { Name = null, Keys = Kept(company.Keys, Billing.StripeCompanyKeys.CustomerId), Traits = Empty, UpdatedAt = now },
            cancellationToken);

    /// <summary>Erases a user's personal data; 404 when there is no such user.</summary>
    public Task<ErasureResult> EraseUserAsync(RequestScope scope, string userId, CancellationToken cancellationToken) =>
        EraseAsync(
            scope,
            EntityKinds.User,
            userId,
            "user_id",
            (user, now) => user with { Name = null, Keys = Kept(user.Keys), Traits = Empty, UpdatedAt = now },
            cancellationToken);

    private static readonly IReadOnlyDictionary<string, System.Text.Json.JsonElement> Empty = new Dictionary<string, System.Text.Json.JsonElement>();

    private static Dictionary<string, string> Kept(IReadOnlyDictionary<string, string> keys, string? billingKey = null) =>
        keys.Where(k => k.Key == KeptKey || k.Key == billingKey).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);

    private async Task<ErasureResult> EraseAsync<T>(
        RequestScope scope, EntityKind<T> kind, string id, string eventColumn, Func<T, DateTimeOffset, T> scrub, CancellationToken cancellationToken)
        where T : class, IEntityRecord
    {
        var result = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync<T>(connection, transaction, scope.EnvironmentId, kind.ResourceKind, id).ConfigureAwait(false);
                if (before is null)
                {
                    Errors.NotFound(kind.Name);
                }

                var after = scrub(before, time.GetUtcNow());
                await EntityKeys.ReplaceAsync(connection, transaction, scope.EnvironmentId, kind.KeyType, id, after.Keys).ConfigureAwait(false);
                await store.PutAsync(connection, transaction, scope.EnvironmentId, kind.ResourceKind, id, null, null, after).ConfigureAwait(false);
                var events = await ScrubEventsAsync(connection, transaction, scope.EnvironmentId, eventColumn, id).ConfigureAwait(false);
                var auditEntries = await connection.ExecuteAsync(
                    """
                    UPDATE audit_log SET before_data = NULL, after_data = NULL
                    WHERE environment_id = @environmentId AND resource_id = @id AND action <> 'erase' AND (before_data IS NOT NULL OR after_data IS NOT NULL)
                    """,
                    new { environmentId = scope.EnvironmentId, id },
                    transaction).ConfigureAwait(false);
                var erased = new ErasureResult(id, kind.Name, [.. before.Keys.Keys.Where(k => !after.Keys.ContainsKey(k)).Order(StringComparer.Ordinal)], before.Traits.Count, events, auditEntries);
                await audit.RecordAsync<ErasureResult>(
                    connection, transaction, scope, scope.EnvironmentId, "erase", kind.ResourceKind, id, kind.AuditCompanyId(before), null, erased).ConfigureAwait(false);
                return erased;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, kind.ChangeKind, [id])).ConfigureAwait(false);
        return result;
    }

    private static Task<int> ScrubEventsAsync(DbConnection connection, DbTransaction transaction, string environmentId, string column, string id) =>
        connection.ExecuteAsync(
            $"UPDATE events SET body = @erased WHERE environment_id = @environmentId AND {column} = @id AND body <> @erased",
            new { environmentId, id, erased = ErasedBody },
            transaction);
}

/// <summary>
/// What an erasure covered — key names (never values), how many traits, event bodies and audit entries — recorded in
/// the audit log and answered to the caller.
/// </summary>
public sealed record ErasureResult(string Id, string Type, IReadOnlyList<string> ErasedKeys, int ErasedTraits, int ErasedEventBodies, int ScrubbedAuditEntries);
