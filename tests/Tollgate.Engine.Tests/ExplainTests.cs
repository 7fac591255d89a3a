using Tollgate.Engine.Explanations;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Tests;

/// <summary>What <see cref="CompiledFlag.Explain"/> shows for each kind of rule and condition, on <see cref="Fixtures"/>.</summary>
public sealed class ExplainTests
{
    private static readonly DateTimeOffset Now = new(2025, 2, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnEntitlementWithinItsLimitDecidesAndShowsUsageAgainstTheLimit()
    {
        var explanation = Explain("plan_pro", usage: 40, seats: "5");

        var decider = Assert.IsType<RuleExplanation>(explanation.DecidingRule);
        Assert.Equal("rule_ent", decider.Rule.Id);
        Assert.Equal(RuleType.PlanEntitlement, decider.Rule.RuleType);
        Assert.Equal(RuleSource.Flag, decider.Source);
        Assert.Equal(1, decider.Position);
        var plan = decider.Conditions[0];
        Assert.True(plan.Holds);
        Assert.Equal(["plan_pro", "plan_addon_sso"], plan.ActualIds);
        var metric = decider.Conditions[1];
        Assert.True(metric.Holds);
        Assert.Equal(40, metric.Usage);
        Assert.Equal(100, metric.Limit);
        Assert.Null(metric.PreflightUsage);
        Assert.All(explanation.Rules.Skip(1), r => Assert.False(r.Reached));
        Assert.Equal(explanation.Result.RuleId, decider.Rule.Id);
    }

    [Fact]
    public void AnExhaustedLimitFailsTheEntitlementAndTheUsageExceededRuleDecides()
    {
        var explanation = Explain("plan_pro", usage: 150, seats: "5");

        var entitlement = explanation.Rules[0];
        Assert.True(entitlement.Reached);
        Assert.False(entitlement.Matched);
        Assert.False(entitlement.Conditions[1].Holds);
        Assert.Equal(150, entitlement.Conditions[1].Usage);
        Assert.Equal("rule_exc", explanation.DecidingRule?.Rule.Id);
        Assert.False(explanation.Result.Value);
    }

    [Fact]
    public void ATraitConditionAndAConditionGroupShowBothSidesOfEachComparison()
    {
        var explanation = Explain("plan_free", usage: 0, seats: "25");

        var seats = explanation.DecidingRule!;
        Assert.Equal("rule_std_seats", seats.Rule.Id);
        var trait = seats.Conditions[0];
        Assert.True(trait.Holds);
        Assert.True(trait.TraitFound);
        Assert.Equal("25", trait.ActualText);
        Assert.Equal("20", trait.ComparedWith);
        Assert.Equal(ComparableType.Int, trait.ComparedAs);
        var group = Assert.Single(seats.ConditionGroups);
        Assert.True(group.Holds);
        Assert.True(group.Conditions[0].Holds);
        Assert.False(group.Conditions[1].Holds);
        Assert.Equal("eu", group.Conditions[1].ActualText);
        Assert.Equal("us", group.Conditions[1].ComparedWith);
    }

    [Fact]
    public void AUserConditionWithoutAUserSaysTheUserIsMissing()
    {
        var flag = CompiledFlag.Compile(Fixtures.ApiCallsFlag());
        var company = CompiledCompany.Compile(Fixtures.Company("plan_free", 0, "5", overrideForFlag: null));

        var role = flag.Explain(company, user: null, options: null, Now).Rules.Single(r => r.Rule.Id == "rule_std_role");

        Assert.True(role.Conditions[0].SubjectMissing);
        Assert.False(role.Conditions[0].Holds);
        Assert.False(role.Conditions[1].SubjectMissing);
        Assert.Equal("2024-05-01T00:00:00Z", role.Conditions[1].ActualText);
    }

    [Fact]
    public void ACreditConditionShowsBalanceCostAndWhetherTheBalanceCoversIt()
    {
        var explanation = Explain("plan_free", usage: 0, seats: "5");

        var credit = explanation.Rules.Single(r => r.Rule.Id == "rule_std_credit").Conditions[0];
        Assert.Equal(10, credit.Balance);
        Assert.Equal(2, credit.Cost);
        Assert.True(credit.Sufficient);
        Assert.False(credit.Postpaid);
        // gte asks "is it exhausted": a covered cost means the condition does not hold.
        Assert.False(credit.Holds);
        Assert.Null(explanation.DecidingRule);
        Assert.All(explanation.Rules, r => Assert.True(r.Reached));
    }

    [Fact]
    public void ACompanyOverrideIsShownAsTheCompanysRuleWithPreflightUsageAdded()
    {
        var flag = CompiledFlag.Compile(Fixtures.ApiCallsFlag());
        var company = CompiledCompany.Compile(Fixtures.Company("plan_pro", 40, "5", overrideForFlag: "flag_api"));
        var options = new CheckOptions { Usage = 3 };

        var explanation = flag.Explain(company, CompiledUser.Compile(Fixtures.User()), options, Now);

        var decider = explanation.DecidingRule!;
        Assert.Equal("rule_override", decider.Rule.Id);
        Assert.Equal(RuleSource.Company, decider.Source);
        Assert.Equal(40, decider.Conditions[1].Usage);
        Assert.Equal(3, decider.Conditions[1].PreflightUsage);
        Assert.Equal(1000, decider.Conditions[1].Limit);
        Assert.Equal(["comp_acme"], decider.Conditions[0].ActualIds);
        Assert.Equal(flag.Check(company, CompiledUser.Compile(Fixtures.User()), options, Now).RuleId, decider.Rule.Id);
    }

    [Fact]
    public void ARejectedPreflightReachesNoRule()
    {
        var flag = CompiledFlag.Compile(Fixtures.ApiCallsFlag());
        var company = CompiledCompany.Compile(Fixtures.Company("plan_pro", 40, "5", overrideForFlag: null));

        var explanation = flag.Explain(company, null, new CheckOptions { Usage = -1 }, Now);

        Assert.NotNull(explanation.Result.Error);
        Assert.Null(explanation.DecidingRule);
        Assert.All(explanation.Rules, r => Assert.False(r.Reached));
        // The rules are still evaluated, so a reader sees what would have matched.
        Assert.True(explanation.Rules[0].Matched);
    }

    [Fact]
    public void AMetricConditionWithoutALimitAbortsItsRuleEvenInsideAGroup()
    {
        var noLimit = new Condition
        {
            Id = "cond_nolimit", AccountId = "acc_1", EnvironmentId = "env_1", ConditionType = ConditionType.Metric, Operator = ComparisonOperator.LessThan,
            EventSubtype = "api_call", MetricPeriod = MetricPeriod.CurrentMonth, MetricPeriodMonthReset = MonthReset.BillingCycle, TraitValue = string.Empty,
        };
        var always = new Condition
        {
            Id = "cond_plan", AccountId = "acc_1", EnvironmentId = "env_1", ConditionType = ConditionType.Plan, Operator = ComparisonOperator.Equal,
            ResourceIds = ["plan_pro"], TraitValue = string.Empty,
        };
        var flag = CompiledFlag.Compile(new Flag
        {
            Id = "flag_x", AccountId = "acc_1", EnvironmentId = "env_1", Key = "x", DefaultValue = false,
            Rules = [new Rule
            {
                Id = "rule_group", AccountId = "acc_1", EnvironmentId = "env_1", RuleType = RuleType.Standard, Name = "group", Priority = 1, Value = true,
                ConditionGroups = [new ConditionGroup { Conditions = [noLimit, always] }],
            }],
        });
        var company = CompiledCompany.Compile(Fixtures.Company("plan_pro", 40, "5", overrideForFlag: null));

        var rule = Assert.Single(flag.Explain(company, null, null, Now).Rules);

        Assert.False(rule.Matched);
        Assert.True(rule.ConditionGroups[0].Conditions[0].AbortsRule);
        Assert.Equal(40, rule.ConditionGroups[0].Conditions[0].Usage);
        Assert.True(rule.ConditionGroups[0].Conditions[1].Holds);
        Assert.False(rule.ConditionGroups[0].Holds);
    }

    private static FlagExplanation Explain(string planId, long usage, string seats)
    {
        var flag = CompiledFlag.Compile(Fixtures.ApiCallsFlag());
        var company = CompiledCompany.Compile(Fixtures.Company(planId, usage, seats, overrideForFlag: null));
        return flag.Explain(company, CompiledUser.Compile(Fixtures.User()), null, Now);
    }
}
