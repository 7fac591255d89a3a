using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Tests.Internal;

/// <summary>Int-comparable trait values as the reference WASM compares them (each case observed through tests/oracle).</summary>
public sealed class TraitNumberTests
{
    [Theory]
    [InlineData("7", "7", "eq", true)]
    [InlineData("+7", "7", "eq", true)]
    [InlineData("7.9", "7", "eq", false)]
    [InlineData("7.0", "7", "eq", true)]
    [InlineData("1e3", "1000", "eq", true)]
    [InlineData("1E3", "1000", "eq", true)]
    [InlineData("1.5e1", "15", "eq", true)]
    [InlineData("5.", "5", "eq", true)]
    [InlineData("00012", "12", "eq", true)]
    [InlineData("-0", "0", "eq", true)]
    [InlineData(" 7", "0", "eq", true)]
    [InlineData("inf", "0", "eq", true)]
    [InlineData("NaN", "0", "eq", true)]
    [InlineData("1e400", "0", "eq", true)]
    [InlineData("0x10", "0", "eq", true)]
    [InlineData("1_000", "0", "eq", true)]
    [InlineData("abc", "0", "eq", true)]
    [InlineData("", "0", "eq", true)]
    [InlineData(".5", "0", "eq", false)]
    [InlineData("0.30000000000000001", "0.3", "eq", true)]
    [InlineData("9007199254740993", "9007199254740992", "gt", true)]
    [InlineData("9223372036854775808", "9223372036854775807", "gt", false)]
    [InlineData("-5.5", "-5", "lt", true)]
    [InlineData("-0.1", "0", "is_empty", false)]
    [InlineData("-1", "0", "not_empty", false)]
    [InlineData("0.5", "0", "not_empty", true)]
    public void IntTraitsCompareAsTheReferenceDoes(string left, string right, string op, bool expected)
    {
        var ops = new Dictionary<string, ComparisonOperator>
        {
            ["eq"] = ComparisonOperator.Equal,
            ["gt"] = ComparisonOperator.GreaterThan,
            ["lt"] = ComparisonOperator.LessThan,
            ["is_empty"] = ComparisonOperator.IsEmpty,
            ["not_empty"] = ComparisonOperator.NotEmpty,
        };
        var actual = Comparisons.Compare(new ComparableText(left), new ComparableText(right), ComparableType.Int, ops[op], preflightUsage: 0);
        Assert.Equal(expected, actual);
    }
}
