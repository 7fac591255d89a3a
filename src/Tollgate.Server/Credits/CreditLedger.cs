using System.Data.Common;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Credits;

/// <summary>
/// Credit consumption for other write paths (usage ingestion): burns credits inside the caller's store transaction,
/// so the burn commits or rolls back with the caller's own writes.
/// </summary>
/// <remarks>
/// Call <see cref="ConsumeAsync"/> inside <c>Database.WriteAsync</c>, then publish a <see cref="Storage.ChangeKind.Credits"/>
/// change once the transaction has committed so the next check sees the new balance. <see cref="CreditBurns"/> says what to burn for
/// a tracked event. Resolve the company (<c>EnvironmentRuntime.FindCompanyAsync</c>) and the catalog before opening
/// the transaction: loading a company may issue its plan's credit grant, a write of its own, and on SQLite (one writer)
/// a write started inside another write waits forever.
/// </remarks>
internal sealed class CreditLedger(TimeProvider time, Notifications.CreditThresholds thresholds)
{
    /// <summary>
    /// Burns <paramref name="amount"/> credits of <paramref name="creditTypeId"/> from the company's balance and records
    /// it in the ledger (movement <c>consume</c>, with <paramref name="reason"/> and <paramref name="sourceRef"/>, e.g. the
    /// event id). Grants that expire first are burnt first.
    /// </summary>
    /// <param name="connection">The caller's open connection.</param>
    /// <param name="transaction">The caller's transaction; the burn commits with it.</param>
    /// <param name="environmentId">The environment.</param>
    /// <param name="companyId">The company (<c>comp_…</c>).</param>
    /// <param name="creditTypeId">The credit type (<c>bcrd_…</c>), e.g. an entitlement's <c>value_credit_id</c>.</param>
    /// <param name="amount">Credits to burn (quantity × consumption rate), ≥ 0.</param>
    /// <param name="reason">Why, recorded in the ledger (e.g. <c>track</c>).</param>
    /// <param name="sourceRef">What caused it, recorded in the ledger (e.g. the event id).</param>
    /// <param name="strict">
    /// True: burn only if the balance (plus the postpaid overdraft) covers all of it, else burn nothing and answer false.
    /// False: the usage has happened, so burn it all even past the floor (the balance goes negative as debt, paid off
    /// by the next grant); answers true.
    /// </param>
    public Task<bool> ConsumeAsync(
        DbConnection connection, DbTransaction transaction, string environmentId, string companyId, string creditTypeId, double amount, string reason, string? sourceRef,
        bool strict) =>
        ConsumeAtAsync(connection, transaction, new BalanceKey(environmentId, companyId, creditTypeId), amount, reason, sourceRef, strict, time.GetUtcNow(), thresholds);

    /// <summary>
    /// Burns what one tracked event costs (<see cref="CreditBurns.For(CatalogSnapshot, CompanyView, string, long, DateTimeOffset)"/>):
    /// for each of the company's credit entitlements whose feature counts <paramref name="eventSubtype"/>,
    /// <paramref name="quantity"/> × its consumption rate, never refused (the usage has happened). Answers the burns made.
    /// </summary>
    public async Task<IReadOnlyList<CreditBurn>> ConsumeForEventAsync(
        DbConnection connection, DbTransaction transaction, CatalogSnapshot catalog, CompanyView company, string eventSubtype, long quantity, string? eventId)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(company);
        var now = time.GetUtcNow();
        var burns = CreditBurns.For(catalog, company, eventSubtype, quantity, now);
        foreach (var burn in burns)
        {
            var key = new BalanceKey(catalog.EnvironmentId, company.Record.Id, burn.CreditTypeId);
            await ConsumeAtAsync(connection, transaction, key, burn.Amount, "track", eventId, strict: false, now, thresholds).ConfigureAwait(false);
        }

        return burns;
    }

    /// <summary>
    /// Records <paramref name="amount"/> credits of usage against an open lease (a tracked event that carries
    /// <c>lease_id</c>), inside the caller's transaction: burnt when the lease is released or expires; any excess over
    /// the lease is burnt at once. Answers false, recording nothing, when there is no open lease with that id.
    /// </summary>
    public Task<bool> TrackOnLeaseAsync(DbConnection connection, DbTransaction transaction, string environmentId, string leaseId, double amount, string? sourceRef)
    {
        if (amount < 0 || !double.IsFinite(amount))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "Usage is a finite number ≥ 0.");
        }

        return CreditLeases.TrackAsync(connection, transaction, environmentId, leaseId, amount, sourceRef, time.GetUtcNow());
    }

    /// <summary>
    /// The burn itself (locked, settled, burnt, in the ledger); with <paramref name="watch"/>, a burn in a watched
    /// environment also tells the webhooks' credit thresholds what it did, in the same transaction.
    /// </summary>
    internal static async Task<bool> ConsumeAtAsync(
        DbConnection connection, DbTransaction transaction, BalanceKey key, double amount, string reason, string? sourceRef, bool strict, DateTimeOffset now,
        Notifications.CreditThresholds? watch = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (amount < 0 || !double.IsFinite(amount))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A burn is a finite number ≥ 0.");
        }

        var locked = await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
        var burnt = await CreditBook.ConsumeAsync(connection, transaction, key, amount, reason, sourceRef, strict, now).ConfigureAwait(false);
        if (burnt && amount > 0 && watch is not null && watch.IsWatched(key.EnvironmentId))
        {
            var (granted, period) = await CreditBook.AllotmentAsync(connection, transaction, key).ConfigureAwait(false);
            await watch.RecordAsync(connection, transaction, new Notifications.CreditConsumption(
                key.EnvironmentId, key.CompanyId, key.CreditTypeId, granted, locked.Remaining, locked.Remaining - amount, period)).ConfigureAwait(false);
        }

        return burnt;
    }
}
