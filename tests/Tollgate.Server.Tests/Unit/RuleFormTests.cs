using Tollgate.Server.Catalog;
using Tollgate.Server.WebConsole.Pages.Flags;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The rules editor's form: API errors land on the form field at fault, and a form sends only its type's fields.</summary>
public sealed class RuleFormTests
{
    [Theory]
    [InlineData("rules[2].name", "Rule.Name")]
    [InlineData("rules[2].value", "Rule.Value")]
    [InlineData("rules[2].rule_type", "Rule.RuleType")]
    [InlineData("rules[2].conditions[0].trait_id", "Rule.Conditions[0].TraitId")]
    [InlineData("rules[2].conditions[3].metric_period_month_reset", "Rule.Conditions[3].MetricPeriodMonthReset")]
    [InlineData("rules[2].condition_groups[1].conditions[0].operator", "Rule.ConditionGroups[1].Conditions[0].Operator")]
    [InlineData("rules[2].conditions[1].resource_ids", "Rule.Conditions[1].ResourceIds")]
    public void AnApiFieldOfTheEditedRuleMapsToItsFormField(string apiField, string formField) =>
        Assert.Equal(formField, RuleFormFields.FormField(apiField, 2, "Rule"));

    [Theory]
    [InlineData("rules[1].name")]
    [InlineData("rules")]
    [InlineData("name")]
    public void AnotherRulesFieldOrTheListItselfMapsToNoField(string apiField) =>
        Assert.Null(RuleFormFields.FormField(apiField, 2, "Rule"));

    [Fact]
    public void AConditionSendsOnlyTheFieldsOfItsType()
    {
        var condition = new ConditionInput
        {
            ConditionType = "trait", Operator = "gt", TraitId = "trait_1", TraitValue = " 5 ", EventSubtype = "left-over", MetricValue = 10, CreditId = "cr_1",
            ResourceIds = ["plan_1"], ResourceIdsText = "comp_1",
        };

        var request = condition.ToRequest();

        Assert.Equal("trait_1", request.TraitId);
        Assert.Equal("5", request.TraitValue);
        Assert.Null(request.EventSubtype);
        Assert.Null(request.MetricValue);
        Assert.Null(request.CreditId);
        Assert.Null(request.ResourceIds);
    }

    [Fact]
    public void TypedIdsAreSplitAndChosenPlansKept()
    {
        var companies = new ConditionInput { ConditionType = "company", ResourceIdsText = "comp_1, comp_2\ncomp_1" }.ToRequest();
        var plans = new ConditionInput { ConditionType = "plan", ResourceIds = ["plan_a", "", "plan_b"], ResourceIdsText = "ignored" }.ToRequest();

        Assert.Equal(["comp_1", "comp_2"], companies.ResourceIds);
        Assert.Equal(["plan_a", "plan_b"], plans.ResourceIds);
    }

    [Fact]
    public void AStoredRuleRoundTripsThroughTheForm()
    {
        var stored = new FlagRuleRecord
        {
            Id = "rule_1", Name = "Big teams", RuleType = "standard", Priority = 3, Value = false,
            Conditions = [new ConditionRecord { ConditionType = "metric", Operator = "lt", EventSubtype = "api_call", MetricValue = 100, MetricPeriod = "current_month", MetricPeriodMonthReset = "billing_cycle" }],
            ConditionGroups = [new ConditionGroupRecord { Conditions = [new ConditionRecord { ConditionType = "company", Operator = "eq", ResourceIds = ["comp_1", "comp_2"] }] }],
        };

        var request = RuleInput.ToRequest(stored);

        Assert.Equal(("rule_1", "Big teams", "standard", 3L, false), (request.Id, request.Name, request.RuleType, request.Priority!.Value, request.Value!.Value));
        var metric = Assert.Single(request.Conditions!);
        Assert.Equal(("api_call", 100L, "current_month", "billing_cycle"), (metric.EventSubtype, metric.MetricValue!.Value, metric.MetricPeriod, metric.MetricPeriodMonthReset));
        Assert.Equal(["comp_1", "comp_2"], Assert.Single(Assert.Single(request.ConditionGroups!).Conditions!).ResourceIds);
    }
}
