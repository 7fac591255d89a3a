using Tollgate.Server.Storage;

namespace Tollgate.Server.Tests.Background;

/// <summary>
/// Advisory-lock names are a contract between nodes of two versions during a rolling upgrade: they must not change.
/// </summary>
public sealed class AdvisoryLockNamesTests
{
    [Fact]
    public void TheNamesAreTheOnesShippedAndNoTwoUsesShareOne()
    {
        var names = new[]
        {
            AdvisoryLockNames.Migrations,
            AdvisoryLockNames.Bootstrap,
            AdvisoryLockNames.Retention,
            AdvisoryLockNames.Company("env_1", "comp_1"),
            AdvisoryLockNames.MeterSync("env_1"),
            AdvisoryLockNames.StripeWebhooks("env_1"),
            AdvisoryLockNames.StripeImport("env_1"),
            AdvisoryLockNames.Directory("env_1"),
        };

        Assert.Equal(
            ["tollgate:migrations", "tollgate:bootstrap", "tollgate:retention", "env_1/comp_1", "tollgate.meter_sync/env_1", "stripe-webhooks/env_1", "stripe-import/env_1", "tollgate:directory:env_1"],
            names);
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }
}
