using System.Globalization;
using System.Text;

namespace Tollgate.Engine.Internal;

/// <summary>
/// A UTC instant with nanosecond precision, as the reference engine (Rust chrono) keeps it. A leap second (<c>:60</c>)
/// is second 59 with <see cref="Nanos"/> of one billion or more, so it sorts after :59 and before the next minute.
/// </summary>
internal readonly struct Timestamp : IComparable<Timestamp>, IEquatable<Timestamp>
{
    public const long SecondsPerDay = 86_400;
    private const int NanosPerSecond = 1_000_000_000;

    public Timestamp(long unixSeconds, int nanos)
    {
        UnixSeconds = unixSeconds;
        Nanos = nanos;
    }

    /// <summary>Whole seconds since 1970-01-01T00:00:00Z.</summary>
    public long UnixSeconds { get; }

    /// <summary>Nanoseconds within the second; one billion or more only during a leap second.</summary>
    public int Nanos { get; }

    /// <summary>Days since 1970-01-01, rounded down.</summary>
    public long DayNumber => UnixSeconds >= 0 ? UnixSeconds / SecondsPerDay : ((UnixSeconds + 1) / SecondsPerDay) - 1;

    public long SecondOfDay => UnixSeconds - (DayNumber * SecondsPerDay);

    public static Timestamp FromDateTimeOffset(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        return new Timestamp(seconds, (int)(remainder * 100));
    }

    /// <summary>The instant at <paramref name="dayNumber"/> (days since the epoch) plus a time of day.</summary>
    public static Timestamp FromDay(long dayNumber, long secondOfDay, int nanos) =>
        new((dayNumber * SecondsPerDay) + secondOfDay, nanos);

    public CivilDate Date => CivilDate.FromDayNumber(DayNumber);

    public DateTimeOffset ToDateTimeOffset()
    {
        var nanos = Math.Min(Nanos, NanosPerSecond - 1);
        return new DateTimeOffset(DateTime.UnixEpoch.Ticks + (UnixSeconds * TimeSpan.TicksPerSecond) + (nanos / 100), TimeSpan.Zero);
    }

    public int CompareTo(Timestamp other) =>
        UnixSeconds != other.UnixSeconds ? UnixSeconds.CompareTo(other.UnixSeconds) : Nanos.CompareTo(other.Nanos);

    public bool Equals(Timestamp other) => UnixSeconds == other.UnixSeconds && Nanos == other.Nanos;

    public override bool Equals(object? obj) => obj is Timestamp other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(UnixSeconds, Nanos);

    public static bool operator ==(Timestamp left, Timestamp right) => left.Equals(right);

    public static bool operator !=(Timestamp left, Timestamp right) => !left.Equals(right);

    public static bool operator <(Timestamp left, Timestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(Timestamp left, Timestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(Timestamp left, Timestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Timestamp left, Timestamp right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// RFC 3339 in UTC the way chrono's <c>to_rfc3339</c> writes it: <c>+00:00</c>, and a fraction of 3, 6 or 9 digits
    /// only when there is one.
    /// </summary>
    public void AppendRfc3339(StringBuilder builder)
    {
        var date = Date;
        var second = SecondOfDay;
        var nanos = Nanos;
        var secondOfMinute = (int)(second % 60);
        if (nanos >= NanosPerSecond)
        {
            secondOfMinute += 1;
            nanos -= NanosPerSecond;
        }

        var inv = CultureInfo.InvariantCulture;
        builder.Append(date.Year.ToString("D4", inv)).Append('-')
            .Append(date.Month.ToString("D2", inv)).Append('-')
            .Append(date.Day.ToString("D2", inv)).Append('T')
            .Append((second / 3600).ToString("D2", inv)).Append(':')
            .Append((second / 60 % 60).ToString("D2", inv)).Append(':')
            .Append(secondOfMinute.ToString("D2", inv));
        if (nanos != 0)
        {
            builder.Append('.');
            if (nanos % 1_000_000 == 0)
            {
                builder.Append((nanos / 1_000_000).ToString("D3", inv));
            }
            else if (nanos % 1_000 == 0)
            {
                builder.Append((nanos / 1_000).ToString("D6", inv));
            }
            else
            {
                builder.Append(nanos.ToString("D9", inv));
            }
        }

        builder.Append("+00:00");
    }

    public override string ToString()
    {
        var builder = new StringBuilder(32);
        AppendRfc3339(builder);
        return builder.ToString();
    }
}
