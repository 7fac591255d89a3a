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
    [InlineData("2025-01-02T04:04:05.123+01:00", "2025-01-02T03:04:05.123Z")]
    [InlineData("2025-01-02T04:04:05+01 00")]
    [InlineData("2025-01-02T04:04:05+01::00")]
    [InlineData("2025-01-02T02:04:05\u221201:00")]
    [InlineData("2025-01-02T03:04:05.5\u221200:00", "2025-01-02T03:04:05.5Z")]
    [InlineData("2025-01-02T 03:04:05+00:00")]
    [InlineData("Thu Jan 02 2025 03:04:05 GMT+0000")]
    [InlineData("Wed Jan 01 2025 19:04:05 GMT-0800")]
    [InlineData("Thu Jan 02 2025 08:34:05 GMT+05:30")]
    [InlineData("Thu Jan 02 2025 04:04:05 GMT +0100")]
    [InlineData("Thu Jan 02 2025 02:04:05 GMT\u22120100")]
    [InlineData("thu JAN 02 2025 03:04:05 GMT+0000")]
    [InlineData("Thu Jan 2 2025 3:4:5 GMT+0000")]
    [InlineData("ThuJan02 2025 03:04:05GMT+0000")]
    [InlineData("Thu\tJan  02\u00a02025\u300003:04:05 GMT+0000")]
    [InlineData("Thu Jan 02 2025 03:04:05 GMT+2400")]
    [InlineData("Thu Jan 02 2025 03:04:05 GMT-0700junk")]
    [InlineData("Thu Jan 02 2025 03:04:05")]
    [InlineData("Thu Jan 02 2025 03:04:05 ")]
    [InlineData("Thu Jan 02 2025 03:04:05 PST")]
    [InlineData("Thu Jan 02 2025 03:04:05 gmt-0700")]
    [InlineData("Thu Jan 02 2025 03:04:05 (PST)")]
    public void TextThatTheReferenceReadsAsTheSameInstantParsesToIt(string text, string? instant = null)
    {
        Assert.True(DateTextParser.TryParse(text, out var value), text);
        Assert.Equal(instant is null ? Reference : Parse(instant), value);
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
    [InlineData("Thu Jan 02 25 03:04:05 GMT+0000")]
    [InlineData("Thu Jan 02 2025 03:04:60 GMT+0000")]
    [InlineData("+262142-12-31 23:59:59 UTC")]
    [InlineData("-262143-01-01 00:00:00 UTC")]
    [InlineData("+262142-12-31T23:59:59-01:00")]
    [InlineData("-262143-01-01T00:00:00+01:00")]
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
    [InlineData("2025-01-02T04:04:05.5+0100")]
    [InlineData("2025-01-02T04:04:05.12+01:00x")]
    [InlineData("2025-01-02T04:04:05.1234+0100")]
    [InlineData("2025-01-02T04:04:05+01")]
    [InlineData("2025-01-02T04:04:05+0160")]
    [InlineData("Thu Jan 02 2025 04:04:05 GMT+0100 (Central European Standard Time)")]
    [InlineData("Thu Jan 02 2025 03:04:05 GMT+0000 (UTC)")]
    [InlineData("Thu Jan 02 2025 03:04:05 GMT-0800 (Pacific Standard Time)")]
    [InlineData("Thu Jan 02 2025 03:04:05 Pacific Standard Time")]
    [InlineData("Fri Jan 02 2025 03:04:05 GMT+0000")]
    [InlineData("Thursday Jan 02 2025 03:04:05 GMT+0000")]
    [InlineData("Thu January 02 2025 03:04:05 GMT+0000")]
    [InlineData("Thu, Jan 02 2025 03:04:05 GMT+0000")]
    [InlineData(" Thu Jan 02 2025 03:04:05 GMT+0000")]
    [InlineData("Thu Jan 02 2025 03:04:05 GMT+0000 ")]
    [InlineData("Thu Jan 02 2025 03:04:05.000 GMT+0000")]
    [InlineData("Thu Jan 02 2025 03:04 GMT+0000")]
    [InlineData("Thu, 02 Jan 2025 03:04:05 GMT")]
    [InlineData("Thu, 02 Jan 2025 03:04:05 +0000")]
    [InlineData("1/2/2025, 3:04:05 AM")]
    [InlineData("1735787045")]
    [InlineData("+262143-01-01 00:00:00 UTC")]
    [InlineData("-262144-12-31 00:00:00 UTC")]
    public void TextThatTheReferenceCannotReadIsEmpty(string text) =>
        Assert.False(DateTextParser.TryParse(text, out _));

    [Fact]
    public void ALeapSecondSortsBetweenTheLastSecondOfTheMinuteAndTheNextMinute()
    {
        var leap = Parse("2016-12-31T23:59:60Z");
        Assert.True(leap > Parse("2016-12-31T23:59:59.999999999Z"));
        Assert.True(leap < Parse("2017-01-01T00:00:00Z"));
    }

    [Theory]
    [InlineData("2025-01-10 08:00:00 UTC")]
    [InlineData("2025-01-10T09:00:00+0100")]
    [InlineData("2025-01-10T09:00:00 +01:00")]
    [InlineData("2025-01-10T08:00:00+24:00")]
    [InlineData("Fri Jan 10 2025 08:00:00 GMT+0000")]
    public void SubscriptionPeriodsAcceptOnlyRfc3339(string text) =>
        Assert.False(DateTextParser.TryParseRfc3339(text, out _));

    [Theory]
    [InlineData("2025-01-10T08:00:00Z")]
    [InlineData("2025-01-10 08:00:00Z")]
    [InlineData("2025-01-10T09:00:00+01:00")]
    [InlineData("2025-01-10T07:00:00\u221201:00")]
    public void SubscriptionPeriodsReadRfc3339WithATOrSpaceAndAColonInTheOffset(string text)
    {
        Assert.True(DateTextParser.TryParseRfc3339(text, out var value));
        Assert.Equal(Parse("2025-01-10T08:00:00Z"), value);
    }

    private static Timestamp Parse(string text)
    {
        Assert.True(DateTextParser.TryParse(text, out var value), text);
        return value;
    }
}
