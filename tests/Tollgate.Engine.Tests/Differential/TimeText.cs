using System.Globalization;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>Writes instants as text in the layouts the scenarios need.</summary>
internal static class TimeText
{
    /// <summary>The pinned clock, as the oracle and <see cref="DateTimeOffset.Parse(string, IFormatProvider)"/> both read it.</summary>
    public static string Now(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// RFC 3339 with the given offset and a literal fraction (e.g. ".5" or ".123456"); the fraction is text so the
    /// scenario can carry more digits than a <see cref="DateTimeOffset"/> holds.
    /// </summary>
    public static string Rfc3339(DateTimeOffset instant, TimeSpan offset, string fraction, bool zulu)
    {
        var local = instant.ToOffset(offset);
        var zone = zulu && offset == TimeSpan.Zero
            ? "Z"
            : (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + zone;
    }

    /// <summary>
    /// JavaScript's <c>Date.prototype.toString()</c> in the given zone (<c>Wed Jun 18 2025 10:00:00 GMT-0700</c>),
    /// followed by <paramref name="zoneName"/> (e.g. <c> (Pacific Daylight Time)</c>, or empty).
    /// </summary>
    public static string JavaScript(DateTimeOffset instant, TimeSpan offset, string zoneName)
    {
        var local = instant.ToOffset(offset);
        return local.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture)
            + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture) + zoneName;
    }
}
