using System.Text.Json;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Memory;

namespace Tollgate.Server.Tests.Unit;

/// <summary>
/// What warm views share to hold less (issue 16): a compacted record has the values of the one read, shared strings are
/// equal to what they replace, and only entitlements nothing company-specific distinguishes are shared.
/// </summary>
public sealed class WarmViewSharingTests
{
    [Fact]
    public void ACompactedRecordHasEveryTraitKeyAndPlanOfTheOneRead()
    {
        var traits = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            """{"region":"eu","seats":12,"ratio":1.50,"big":12345678901234567890,"exp":1e3,"beta":true,"off":false,"none":null,"name":"Zoë \"Q\" \u00e9"}""")!;
        var record = new CompanyRecord
        {
            Id = "comp_1",
            Keys = new Dictionary<string, string> { ["id"] = "acme", ["domain"] = "acme.test" },
            Traits = traits,
            BasePlanId = "plan_pro",
            AddOnIds = ["plan_sso"],
            PlanVersions = new Dictionary<string, string> { ["plan_pro"] = "plv_2" },
        };

        var compact = WarmRecords.Compact(record);

        Assert.Equal(record.Keys.OrderBy(k => k.Key), compact.Keys.OrderBy(k => k.Key));
        Assert.Equal(traits.Keys, compact.Traits.Keys);
        foreach (var (name, value) in traits)
        {
            Assert.Equal(value.ValueKind, compact.Traits[name].ValueKind);
            Assert.Equal(TraitText.Of(value), TraitText.Of(compact.Traits[name]));
            Assert.Equal(TraitText.AsInteger(value), TraitText.AsInteger(compact.Traits[name]));
        }

        Assert.Equal("plan_pro", compact.BasePlanId);
        Assert.Equal(["plan_sso"], compact.AddOnIds);
        Assert.Equal("plv_2", compact.PlanVersions["plan_pro"]);
        Assert.Equal(record with { Keys = compact.Keys, Traits = compact.Traits, AddOnIds = compact.AddOnIds, PlanVersions = compact.PlanVersions }, compact);
    }

    [Fact]
    public void TraitsWithAnObjectAreKeptAsRead()
    {
        // An object's raw text (its spacing) would not survive the round trip through one document.
        var withObject = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"a":"x","b":{ "c" : 1 }}""")!;
        var kept = WarmRecords.Compact(new CompanyRecord { Id = "comp_1", Traits = withObject }).Traits;
        Assert.Same(withObject, kept);
        Assert.Equal("""{ "c" : 1 }""", kept["b"].GetRawText());
    }

    [Fact]
    public void SharedStringsAreEqualToWhatTheyReplaceAndOneInstance()
    {
        var first = SharedStrings.Of(new string("api_call".AsSpan()));
        var second = SharedStrings.Of(new string("api_call".AsSpan()));
        Assert.Equal("api_call", first);
        Assert.Same(first, second);

        var at = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(at.ToString("O"), SharedStrings.Of(at, "O"));
        Assert.Same(SharedStrings.Of(at, "O"), SharedStrings.Of(at, "O"));
        // The same instant in another offset has its own text.
        var elsewhere = at.ToOffset(TimeSpan.FromHours(2));
        Assert.Equal(elsewhere.ToString("O"), SharedStrings.Of(elsewhere, "O"));
    }

    [Fact]
    public void OnlyEntitlementsWithNothingOfTheCompanyAreShared()
    {
        var shared = new SharedEntitlements();
        FeatureEntitlement Boolean() => new() { FeatureId = "feat_sso", FeatureKey = "sso", ValueType = EntitlementValueType.Boolean };
        FeatureEntitlement Used(long usage) => new()
        {
            FeatureId = "feat_api", FeatureKey = "api-calls", ValueType = EntitlementValueType.Numeric, Allocation = 1000, Usage = usage,
            EventName = "api_call", MetricPeriod = MetricPeriod.CurrentMonth, MonthReset = MonthReset.FirstOfMonth, MetricResetAt = "2027-01-01T00:00:00+00:00",
        };

        var one = shared.Share([Boolean(), Used(0), Used(7)]);
        var two = shared.Share([Boolean(), Used(0), Used(7)]);

        Assert.Same(one[0], two[0]);
        Assert.Same(one[1], two[1]);
        Assert.NotSame(one[2], two[2]);
        Assert.Equal(one, two);
    }
}
