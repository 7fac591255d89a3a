using Tollgate.Engine.Internal;

namespace Tollgate.Engine.Tests.Internal;

/// <summary>Date text as the reference WASM reads it; every case was observed on the WASM through tests/oracle.</summary>
public sealed class DateTextParserTests
{
    private static readonly Timestamp Reference = Parse("2025-01-02T03:04:05Z");

    [Theory]
    [InlineData("2025-01-02T03:04:05z")]
    [InlineData("2025-01-02t03:04:05Z")]
    [InlineData("2025-01-02T04:04:05+01:00")]
    [InlineData("2025-01-02T04:04:05+0100")]
    [InlineData("2025-01-02T03:04:05-00:00")]
    [InlineData("2025-01-02T03:04:05.000Z")]
    [InlineData("2025-01-02 03:04:05 UTC")]
    [InlineData("2025-01-02 03:04:05 PST")]
    [InlineData("2025-01-02 03:04:05 -0100")]
    [InlineData("2025-01-02 03:04:05")]
    [InlineData("2025-01-02 03:04:05 ")]
    [InlineData("2025-01-02 03:04:05Z")]
    [InlineData("2025-01-02 03:04:05.5Z")]
    [InlineData("2025-01-02 03:04:05+0100")]
    [InlineData("2025-1-2 3:4:5 UTC")]
    [InlineData(" 2025-01-02 03:04:05 UTC")]
    [InlineData("+2025-01-02 03:04:05 UTC")]
    [InlineData("2025-01-02 03: 04:05 UTC")]
    [InlineData("2025-01-02T03:04:05+24:00")]
    [InlineData("2025-01-02T03:04:05+99:00")]
    [InlineData("2025-01-02T03:04:05 +0000")]
    [InlineData("2025-01-02T03:04:05+2400")]
    public void TextThatTheReferenceReadsAsTheSameInstantParsesToIt(string text)
    {
        Assert.True(DateTextParser.TryParse(text, out var value));
        Assert.Equal(Reference, value);
    }

    [Theory]
    [InlineData("2025-01-02T03:04:05.123456789Z")]
    [InlineData("2025-01-02T03:04:05+23:59")]
    [InlineData("2025-01-02 04:04:05+01:00")]
    [InlineData("2025-01-02 04:04:05+0100")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("2024-02-29T00:00:00Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("25-01-02 03:04:05 UTC")]
    public void TextThatTheReferenceReadsAsAnotherInstantParses(string text)
    {
        Assert.True(DateTextParser.TryParse(text, out var value));
        Assert.NotEqual(Reference, value);
    }

    [Theory]
    [InlineData("2025-01-02")]
    [InlineData("Thu Jan 02 2025")]
    [InlineData("2025-01-02T03:04:05")]
    [InlineData("2025-01-02T03:04Z")]
    [InlineData("2025-01-02T03:04:05 UTC")]
    [InlineData("2025-01-02 03:04:05 UTC ")]
    [InlineData("2025-01-02 03:04:05.5 UTC")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2025-01-02T03:04:05.Z")]
    [InlineData("2025-01-02T03:04:05+23:60")]
    [InlineData("2025-01-02T03:04:05+00")]
    [InlineData("2025-01-02T03:04:05.5+24:00")]
    [InlineData("2025-01-02t03:04:05+24:00")]
    [InlineData("02025-01-02 03:04:05 UTC")]
    [InlineData("10000-01-01T00:00:00Z")]
    [InlineData("2025-01-02T24:00:00Z")]
    [InlineData("2025-01-02T03:04:05Zjunk")]
    [InlineData("")]
    public void TextThatTheReferenceCannotReadIsEmpty(string text) =>
        Assert.False(DateTextParser.TryParse(text, out _));

    [Fact]
    public void ALeapSecondSortsBetweenTheLastSecondOfTheMinuteAndTheNextMinute()
    {
        var leap = Parse("2016-12-31T23:59:60Z");
        Assert.True(leap > Parse("2016-12-31T23:59:59.999999999Z"));
        Assert.True(leap < Parse("2017-01-01T00:00:00Z"));
    }

    [Fact]
    public void SubscriptionPeriodsAcceptOnlyRfc3339() =>
        Assert.False(DateTextParser.TryParseRfc3339("2025-01-10 08:00:00 UTC", out _));

    private static Timestamp Parse(string text)
    {
        Assert.True(DateTextParser.TryParse(text, out var value), text);
        return value;
    }
}
