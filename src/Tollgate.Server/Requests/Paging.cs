namespace Tollgate.Server.Requests;

/// <summary>
/// <c>limit</c> and <c>offset</c> query parameters: limit 1–1000 (default 100), offset ≥ 0; anything else is a 400
/// naming the parameter.
/// </summary>
public readonly record struct Paging(int Limit, int Offset)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Reads paging from the query string.</summary>
    public static Paging From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Paging(Read(request, "limit", 100, 1, MaxLimit), Read(request, "offset", 0, 0, int.MaxValue));
    }

    private static int Read(HttpRequest request, string name, int fallback, int min, int max)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Errors.BadRequest(name, $"must be a whole number from {min} to {max}");
        }

        return value;
    }
}
