using System.Threading.Channels;
using Dapper;
using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// Auto top-up: when a company's balance falls below the threshold of a plan credit grant with
/// <c>auto_topup_availability</c> <c>automatic</c> on a plan it holds, it is given <c>auto_topup_amount</c> credits
/// (a grant of reason <c>billing_credit_auto_topup</c>). It listens to the change feed, so every path that burns
/// credits (tracked events, consume, reservations, leases) is covered; the companies this node changed are queued and
/// topped up in the background, within milliseconds. No payment is taken: with Stripe connected the grant is recorded
/// all the same and nothing is charged (README, "Credits").
/// </summary>
/// <remarks>
/// At most one top-up per burn: one is made only if the balance's last ledger movement is not itself a top-up, checked
/// under the balance lock, so a top-up smaller than the gap to the threshold does not loop, and two nodes hearing the
/// same change make one top-up between them.
/// </remarks>
internal sealed partial class AutoTopUp : BackgroundService
{
    private readonly Channel<(string EnvironmentId, string CompanyId)> _queue =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly ResourceStore _store;
    private readonly AuditLog _audit;
    private readonly ChangeFeed _changes;
    private readonly BalanceGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<AutoTopUp> _logger;

    public AutoTopUp(ResourceStore store, AuditLog audit, ChangeFeed changes, BalanceGate gate, TimeProvider time, ILogger<AutoTopUp> logger)
    {
        _store = store;
        _audit = audit;
        _changes = changes;
        _gate = gate;
        _time = time;
        _logger = logger;
        changes.Subscribe(OnChangeAsync);
    }

    /// <summary>Tops up the company's balances that are due now; answers the grants made.</summary>
    public async Task<int> RunAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        var planGrants = await _store.ListAllAsync<PlanCreditGrantRecord>(environmentId, CreditKinds.PlanGrant, cancellationToken).ConfigureAwait(false);
        if (!planGrants.Any(g => g.AutoTopupAvailability == "automatic"))
        {
            return 0;
        }

        var company = await _store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false);
        if (company is null)
        {
            return 0;
        }

        var plans = CompanyPlanVersions.PlanIdsOf(company);
        var made = 0;
        foreach (var grant in planGrants.Where(g => g.AutoTopupAvailability == "automatic" && plans.Contains(g.PlanId)))
        {
            if (PlanGrantSettings.Threshold(grant) is not { } threshold || grant.AutoTopupAmount is not { } amount)
            {
                continue;
            }

            var credit = await _store.GetAsync<CreditTypeRecord>(environmentId, CreditKinds.CreditType, grant.CreditId, cancellationToken).ConfigureAwait(false);
            if (credit is null || credit.DeletedAt is not null)
            {
                continue;
            }

            var now = _time.GetUtcNow();
            var expiresAt = GrantExpiry.Of(
                new CompanyGrantRequest(company.Id, credit.Id, amount, null, null, grant.AutoTopupExpiryType ?? "no_expiry", grant.AutoTopupExpiryUnit, grant.AutoTopupExpiryUnitCount, null),
                credit, company, now);
            var key = new BalanceKey(environmentId, company.Id, credit.Id);
            using var turn = await _gate.EnterAsync(key, cancellationToken).ConfigureAwait(false);
            var granted = await _store.Database.WriteAsync(
                async (connection, transaction) =>
                {
                    var row = await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
                    if (row.Remaining >= threshold || await LastWasTopUpAsync(connection, transaction, key).ConfigureAwait(false))
                    {
                        return null;
                    }

                    var topUp = new NewGrant(amount, "billing_credit_auto_topup", expiresAt, "auto top-up", grant.PlanId, null, null, grant.Id);
                    var id = await CreditBook.GrantAsync(connection, transaction, key, topUp, now).ConfigureAwait(false);
                    await _audit.RecordAsync(connection, transaction, null, environmentId, "create", "credit_grant", id, company.Id, null, topUp).ConfigureAwait(false);
                    return id;
                },
                cancellationToken).ConfigureAwait(false);
            if (granted is not null)
            {
                made++;
                LogToppedUp(company.Id, credit.Id, amount, threshold);
                await _changes.PublishAsync(new Change(environmentId, ChangeKind.Credits, [company.Id])).ConfigureAwait(false);
            }
        }

        return made;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (environmentId, companyId) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RunAsync(environmentId, companyId, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // One company's failure (database unreachable…) must not stop the others' top-ups; its next burn tries again.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    LogFailed(exception, companyId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static async Task<bool> LastWasTopUpAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, BalanceKey key)
    {
        var last = await connection.QueryFirstOrDefaultAsync<(string Movement, string? Reason)>(
            """
            SELECT movement, reason FROM credit_ledger
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId AND movement NOT IN ('expire')
            ORDER BY seq DESC LIMIT 1
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId },
            transaction).ConfigureAwait(false);
        return last.Movement == "grant" && last.Reason == "billing_credit_auto_topup";
    }

    /// <summary>Queues the companies whose credits this node changed; other nodes queue their own.</summary>
    private Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        if (change.Kind == ChangeKind.Credits && !change.FromOtherNode)
        {
            foreach (var companyId in change.Ids)
            {
                _queue.Writer.TryWrite((change.EnvironmentId, companyId));
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Auto top-up: company {CompanyId} given {Amount} credits of {CreditTypeId} (balance below {Threshold})")]
    private partial void LogToppedUp(string companyId, string creditTypeId, double amount, double threshold);

    [LoggerMessage(Level = LogLevel.Error, Message = "Auto top-up of company {CompanyId} failed; its next burn tries again")]
    private partial void LogFailed(Exception exception, string companyId);
}
