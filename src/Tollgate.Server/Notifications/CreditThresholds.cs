using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Detects a credit balance's use crossing its warning and its limit where burns commit (the Credits area's burn, in its
/// transaction), and writes one notice per company, credit type, period and level ever (a dedupe key in the outbox): the
/// period is the balance's newest live grant, so a new grant (a new billing period's, a purchase) arms the levels again,
/// and a retried event, which burns nothing, raises nothing. Use is measured against what the live grants gave: the
/// warning at <see cref="WebhookOptions.DefaultWarningPercent"/> of it, the limit when nothing remains. Only environments
/// with an active endpoint subscribed to a <c>credit.limit.*</c> type are watched; elsewhere a burn pays one set lookup.
/// </summary>
internal sealed class CreditThresholds(INoticeOutbox outbox, IOptions<WebhookOptions> options)
{
    /// <summary>The request types a burn raises.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        WebhookRequestTypes.CreditLimitWarning, WebhookRequestTypes.CreditLimitReached,
    };

    private volatile HashSet<string> _watched = new(StringComparer.Ordinal);

    /// <summary>True when burns in the environment may raise a notice.</summary>
    public bool IsWatched(string environmentId) => _watched.Contains(environmentId);

    /// <summary>Replaces the watched environments (the worker reads them from the store on every pass).</summary>
    public void Watch(HashSet<string> environmentIds) => _watched = environmentIds;

    /// <summary>In the burn's transaction, after it: writes a notice for each level the burn took the balance's use to or past.</summary>
    public async Task RecordAsync(DbConnection connection, DbTransaction transaction, CreditConsumption burn)
    {
        ArgumentNullException.ThrowIfNull(burn);
        if (burn.Granted <= 0 || burn.Period is null)
        {
            return;
        }

        var before = burn.Granted - burn.RemainingBefore;
        var after = burn.Granted - burn.RemainingAfter;
        var warning = Math.Ceiling(burn.Granted * options.Value.DefaultWarningPercent / 100);
        foreach (var (requestType, level) in new[] { (WebhookRequestTypes.CreditLimitWarning, warning), (WebhookRequestTypes.CreditLimitReached, burn.Granted) })
        {
            if (!(before < level && level <= after))
            {
                continue;
            }

            await outbox.AppendAsync(connection, transaction, new Notice(
                burn.EnvironmentId,
                requestType,
                burn.CreditTypeId,
                string.Create(CultureInfo.InvariantCulture, $"{requestType}/{burn.CompanyId}/{burn.CreditTypeId}/{burn.Period}/{level:R}"),
                FeatureUsageBody.Of(
                    burn.Granted, "credit", after, null, null, new { id = burn.CompanyId }, level, null, burn.CreditTypeId,
                    new { credit_total = burn.Granted, credit_used = after, credit_remaining = burn.RemainingAfter }))).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// A burn as the Credits area committed it: what the balance's live grants gave (<see cref="Granted"/>), what remained
/// before and after, and the period the levels are counted in (the newest live grant's id; null without a live grant).
/// </summary>
public sealed record CreditConsumption(string EnvironmentId, string CompanyId, string CreditTypeId, double Granted, double RemainingBefore, double RemainingAfter, string? Period);
