using Tollgate.Engine.Model;

namespace Tollgate.Engine.Tests;

/// <summary>
/// The four answers of issue 10, item 10, where Tollgate differed from Schematic's engine: a JavaScript
/// <c>Date.toString()</c> text is a date on either side of a condition. Expected values were answered by the WASM
/// (tests/oracle); DifferentialTests.DateTextsAgreeWithSchematicsEngine checks every layout byte for byte.
/// </summary>
public sealed class JavaScriptDateTraitTests
{
    private const string JavaScriptDate = "Wed Jun 18 2025 10:00:00 GMT-0700";
    private static readonly DateTimeOffset Now = new(2025, 6, 18, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public void ACompanyTraitInJavaScriptsLayoutIsNotEmpty()
    {
        Assert.False(Matches(Condition(EntityType.Company, ComparisonOperator.IsEmpty, ""), CompanyWith(JavaScriptDate), user: null));
        Assert.True(Matches(Condition(EntityType.Company, ComparisonOperator.NotEmpty, ""), CompanyWith(JavaScriptDate), user: null));
    }

    [Theory]
    [InlineData("2025-06-18T16:59:59Z", true)]
    [InlineData("2025-06-18T17:00:00Z", false)]
    public void ACompanyTraitInJavaScriptsLayoutComparesAsItsInstantWithTheOffsetApplied(string conditionValue, bool expected) =>
        Assert.Equal(expected, Matches(Condition(EntityType.Company, ComparisonOperator.GreaterThan, conditionValue), CompanyWith(JavaScriptDate), user: null));

    [Fact]
    public void AConditionValueInJavaScriptsLayoutIsAfterAUserWithoutTheTrait()
    {
        var user = new User { Id = "user_1", AccountId = "acc_1", EnvironmentId = "env_1", Traits = [] };
        Assert.True(Matches(Condition(EntityType.User, ComparisonOperator.LessThan, JavaScriptDate), CompanyWith("2025-06-18T17:00:00Z"), user));
        Assert.False(Matches(Condition(EntityType.User, ComparisonOperator.GreaterThan, JavaScriptDate), CompanyWith("2025-06-18T17:00:00Z"), user));
    }

    [Fact]
    public void JavaScriptsLayoutWithTheBracketedZoneNameIsNoDate() =>
        Assert.True(Matches(
            Condition(EntityType.Company, ComparisonOperator.IsEmpty, ""),
            CompanyWith(JavaScriptDate + " (Pacific Daylight Time)"),
            user: null));

    private static readonly TraitDefinition CompanyDate = new() { Id = "td_date", ComparableType = ComparableType.Date, EntityType = EntityType.Company };
    private static readonly TraitDefinition UserDate = new() { Id = "td_date", ComparableType = ComparableType.Date, EntityType = EntityType.User };

    private static bool Matches(Condition condition, Company company, User? user)
    {
        var flag = CompiledFlag.Compile(new Flag
        {
            Id = "flag_1", AccountId = "acc_1", EnvironmentId = "env_1", Key = "dated", DefaultValue = false,
            Rules =
            [
                new Rule
                {
                    Id = "rule_1", AccountId = "acc_1", EnvironmentId = "env_1", RuleType = RuleType.Standard, Name = "dated",
                    Priority = 0, Value = true, Conditions = [condition],
                },
            ],
        });
        return flag.Check(CompiledCompany.Compile(company), user is null ? null : CompiledUser.Compile(user), options: null, Now).Value;
    }

    private static Condition Condition(EntityType entity, ComparisonOperator op, string value) => new()
    {
        Id = "cond_1", AccountId = "acc_1", EnvironmentId = "env_1", ConditionType = ConditionType.Trait, Operator = op,
        TraitDefinition = entity == EntityType.Company ? CompanyDate : UserDate, TraitValue = value,
    };

    private static Company CompanyWith(string date) => new()
    {
        Id = "comp_1", AccountId = "acc_1", EnvironmentId = "env_1",
        Traits = [new Trait { TraitDefinition = CompanyDate, Value = date }],
    };
}
