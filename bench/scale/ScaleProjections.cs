using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Companies;
using Tollgate.Server.Insights;

namespace Tollgate.Scale;

/// <summary>
/// Writes the projections of a generated environment (the company directory, the insight rows and signals) with the
/// server's own rebuild (<see cref="CompanyProjectionRefresher.RebuildAsync"/>), as a server's first start would: a
/// server started on the store then finds as many rows as companies and rebuilds nothing. Never a second copy of the
/// projection logic: the rows are the server's, computed by its code from what the generator wrote.
/// </summary>
internal static class ScaleProjections
{
    /// <summary>Rebuilds both projections of <paramref name="environmentId"/> side by side (as the server's two rebuild loops run); answers the seconds taken.</summary>
    public static async Task<double> WriteAsync(IServiceProvider services, string environmentId, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();

        // Each takes its own advisory lock (directory, insights): the two never wait on each other.
        await Task.WhenAll(
            services.GetRequiredService<CompanyDirectoryRefresher>().RebuildAsync(environmentId, ct),
            services.GetRequiredService<InsightRefresher>().RebuildAsync(environmentId, ct));
        return clock.Elapsed.TotalSeconds;
    }
}
