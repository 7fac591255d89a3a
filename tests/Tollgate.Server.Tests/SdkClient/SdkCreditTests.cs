using System.Text.Json;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>Runs <c>tests/sdk-client/drive-sdk-credits.mjs</c> (the official Node SDK's credit calls) once against a server.</summary>
public sealed class SdkCreditFixture : IAsyncLifetime
{
    private LoopbackServer? _server;
    private SdkRun? _run;

    internal SdkRun Run => _run ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(CancellationToken.None);
        _run = await SdkDriver.RunAsync(_server.BaseAddress, LoopbackServer.ApiKey, CancellationToken.None, "drive-sdk-credits.mjs");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The official Schematic Node SDK's credit calls work against Tollgate and get the answers the credits hold.</summary>
public sealed class SdkCreditTests(SdkCreditFixture fixture) : IClassFixture<SdkCreditFixture>
{
    private SdkRun Run => fixture.Run;

    [Fact]
    public void EveryCreditCallOfTheSdkSucceedsAndItsAnswersMatchTheSdksSchemas()
    {
        var failed = Run.StepNames.Where(s => !Run.Succeeded(s)).Select(s => $"{s}: {Run.Outcome(s).GetProperty("error")}").ToList();
        Assert.True(failed.Count == 0, "SDK calls that threw:\n" + string.Join('\n', failed));
        // Only the credit calls are this test's business (plan entitlements draw a warning of their own, elsewhere).
        Assert.DoesNotContain(
            Run.Console,
            m => m.Message.Contains("Failed to validate", StringComparison.Ordinal) && (m.Step.StartsWith("credits.", StringComparison.Ordinal) || m.Step.Contains("Reserve", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheSdkSeesGrantsBalancesReservationsAndTheLedger()
    {
        var credit = Run.Value("credits.getSingleBillingCredit");
        Assert.Equal("Renamed by the SDK", credit.GetProperty("description").GetString());
        // The demo's "AI credits" and the one the script made.
        Assert.Equal(["AI credits", credit.GetProperty("name").GetString()], Run.Value("credits.listBillingCredits").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
        Assert.Equal(2, Run.Value("credits.countBillingCredits").GetProperty("count").GetInt32());

        // The plan grant (10) went to the company on the plan; the manual grant added 30.
        Assert.Equal(2, Run.Value("credits.countCompanyGrants").GetProperty("count").GetInt32());
        var before = Single(Run.Value("credits.listCompanyCreditBalances"));
        Assert.Equal(40, before.GetProperty("remaining").GetDouble());
        Assert.Equal(40, before.GetProperty("total").GetDouble());

        var released = Run.Value("credits.releaseCreditReservation");
        Assert.Equal(5, released.GetProperty("reservedAmount").GetDouble());
        Assert.NotEqual(JsonValueKind.Null, released.GetProperty("releasedAt").ValueKind);

        var reserved = Run.Value("features.checkAndReserveFlag");
        Assert.True(reserved.GetProperty("value").GetBoolean());
        Assert.Equal(8, reserved.GetProperty("reservation").GetProperty("creditsReserved").GetDouble());
        Assert.Equal("sdk_generation", reserved.GetProperty("reservation").GetProperty("eventSubtype").GetString());

        var entitled = Run.Value("checkFlagWithEntitlement token-co sdk-gen");
        Assert.True(entitled.GetProperty("value").GetBoolean());
        Assert.Equal(32, entitled.GetProperty("entitlement").GetProperty("creditRemaining").GetDouble());
        Assert.Equal(8, entitled.GetProperty("entitlement").GetProperty("creditReserved").GetDouble());

        var after = Single(Run.Value("credits.listCompanyCreditBalances after"));
        Assert.Equal(2, after.GetProperty("remaining").GetDouble());
        Assert.Equal(8, after.GetProperty("reserved").GetDouble());
        var ledger = Run.Value("credits.listCreditEventLedger").EnumerateArray().ToList();
        Assert.Equal(Run.Value("credits.countCreditEventLedger").GetProperty("count").GetInt32(), ledger.Count);
        Assert.Equal(after.GetProperty("remaining").GetDouble(), ledger.Sum(e => e.GetProperty("amount").GetDouble()));
        Assert.Equal(["grant", "grant", "usage", "usage", "usage", "zero_out"], ledger.Select(e => e.GetProperty("eventType").GetString()));
    }

    [Fact]
    public void TheSdksLeasesAreGrantedWhatTheBalanceAllows()
    {
        // 2 credits remain when the lease is asked for 5, and none when it is extended.
        Assert.Equal(2, Run.Value("credits.acquireCreditLease").GetProperty("grantedAmount").GetDouble());
        Assert.Equal(2, Run.Value("credits.extendCreditLease").GetProperty("grantedAmount").GetDouble());
        var released = Run.Value("credits.releaseCreditLease");
        Assert.Equal(0, released.GetProperty("trackedAmount").GetDouble());
        Assert.NotEqual(JsonValueKind.Null, released.GetProperty("releasedAt").ValueKind);
    }

    private static JsonElement Single(JsonElement balances) => Assert.Single(balances.EnumerateArray());
}
