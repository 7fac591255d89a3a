using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Insights;

/// <summary>Reads the signal lists as a test waits for them: each company's row follows its commit by a refresh.</summary>
internal static class InsightLists
{
    /// <summary>How long a company's refresh may take to show.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>The company's row of a list whose reason starts with <paramref name="reasonStart"/>, waiting at most <see cref="Deadline"/>.</summary>
    public static async Task<JsonElement> ListedAsync(ApiClient api, string kind, string companyId, string reasonStart = "")
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var list = (await api.GetAsync($"/insights/signals/{kind}")).ShouldBe(HttpStatusCode.OK).Data;
            foreach (var row in list.EnumerateArray())
            {
                if (row.GetProperty("company_id").GetString() == companyId && row.GetProperty("reason").GetString()!.StartsWith(reasonStart, StringComparison.Ordinal))
                {
                    return row;
                }
            }

            if (clock.Elapsed > Deadline)
            {
                throw new Xunit.Sdk.XunitException($"{companyId} not listed in {kind} within {Deadline}; the list: {list}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits (at most <see cref="Deadline"/>) until the company is not in the list: its refresh may trail another's.</summary>
    public static async Task NotListedAsync(ApiClient api, string kind, string companyId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var list = (await api.GetAsync($"/insights/signals/{kind}")).ShouldBe(HttpStatusCode.OK).Data;
            if (!list.EnumerateArray().Any(r => r.GetProperty("company_id").GetString() == companyId))
            {
                return;
            }

            Assert.True(clock.Elapsed < Deadline, $"{companyId} still listed in {kind} after {Deadline}; the list: {list}");
            await Task.Delay(50);
        }
    }
}
