using Tollgate.Server.Insights;

namespace Tollgate.Server.WebConsole.Pages.Insights;

/// <summary>
/// The four insight signal lists of the environment, the strongest companies of each with the reason and MRR, read from
/// the precomputed signal rows as <c>GET /insights/signals/{kind}</c> reads them.
/// </summary>
internal sealed class IndexModel(InsightService insights) : ConsolePageModel
{
    /// <summary>Companies shown per list.</summary>
    public const int PerList = 10;

    /// <summary>Each list's title, description, total and first companies, in <see cref="SignalKinds.All"/> order.</summary>
    public List<(string Kind, string Title, string Description, long Total, IReadOnlyList<CompanySignal> Rows)> Lists { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in SignalKinds.All)
        {
            var rows = await insights.ListAsync(Console.Environment.Id, kind, new Requests.Paging(PerList, 0), cancellationToken).ConfigureAwait(false);
            var total = await insights.CountAsync(Console.Environment.Id, kind, cancellationToken).ConfigureAwait(false);
            var (title, description) = kind switch
            {
                SignalKinds.OverUsers => ("Over-users", "At or over a limit, or over it in several recent periods."),
                SignalKinds.Expansion => ("Expansion candidates", "Near a limit with growing usage."),
                SignalKinds.UnderUsers => ("Under-users", "Paying, with a feature used far below its allocation for several periods."),
                _ => ("At risk", "Usage falling, or a trial ending unused."),
            };
            Lists.Add((kind, title, description, total, rows));
        }
    }
}
