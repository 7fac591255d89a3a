using System.Globalization;
using Tollgate.Server.Audit;
using Tollgate.Server.Companies;

namespace Tollgate.Server.WebConsole.Pages;

/// <summary>
/// The overview, where a signed-in user lands: how many customers there are and on which plans, who is over or near a
/// limit, which trials end first, and the latest changes. Every figure comes from <see cref="CompanyDirectory"/>'s
/// indexed counts, so the page costs the same at 100,000 companies as at ten.
/// </summary>
internal sealed class IndexModel(TimeProvider time, CompanyDirectory directory, AuditLog audit) : ConsolePageModel
{
    /// <summary>How many companies each short list shows.</summary>
    public const int ListSize = 6;

    /// <summary>The environment's figures and short lists.</summary>
    public CompanyDirectoryCounts Counts { get; private set; } = new()
    {
        Total = 0, Plans = [], OverLimit = 0, NearLimit = 0, Trialing = 0, WithOverrides = 0, TopOverLimit = [], TopNearLimit = [], TrialsEndingSoon = [],
    };

    /// <summary>The latest changes made in the environment, newest first.</summary>
    public IReadOnlyList<AuditEntry> Recent { get; private set; } = [];

    /// <summary>The time now, for "in 3 days".</summary>
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Counts = await directory.CountAsync(Console.Scope, cancellationToken, listSize: ListSize).ConfigureAwait(false);
        Recent = await audit.ListAsync(Console.Environment.Id, null, null, ListSize, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long until <paramref name="at"/>: "within the hour", "within a day", "in 5 days", or "ended".</summary>
    public string Relative(DateTimeOffset at)
    {
        var left = at - Now;
        if (left <= TimeSpan.Zero)
        {
            return "ended";
        }

        if (left < TimeSpan.FromDays(1))
        {
            return left < TimeSpan.FromHours(1) ? "within the hour" : "within a day";
        }

        var days = (long)Math.Round(left.TotalDays, MidpointRounding.AwayFromZero);
        return days == 1 ? "in 1 day" : string.Create(CultureInfo.InvariantCulture, $"in {days} days");
    }

    /// <summary>The share of companies on a plan, as a percentage of the width of its bar.</summary>
    public double Share(long companies) => Counts.Total == 0 ? 0 : 100.0 * companies / Counts.Total;
}
