namespace Tollgate.Engine.Internal;

/// <summary>
/// A trait value (or a condition's trait value) read once in every comparable type, so that a check compares
/// precomputed values and never parses.
/// </summary>
internal sealed class ComparableText
{
    public static readonly ComparableText Empty = new(string.Empty);

    public ComparableText(string text)
    {
        Text = text;
        Number = TraitNumber.Parse(text);
        Bool = text is "true" or "1";
        HasDate = DateTextParser.TryParse(text, out var date);
        Date = date;
        HasInteger = TraitNumber.TryParseInteger(text, out var integer);
        Integer = HasInteger ? integer : 0;
    }

    public string Text { get; }

    public TraitNumber Number { get; }

    public bool Bool { get; }

    public bool HasDate { get; }

    public Timestamp Date { get; }

    /// <summary>Whether the text is a whole number in Rust's <c>i64</c> grammar (metric limits read traits this way).</summary>
    public bool HasInteger { get; }

    /// <summary>The whole number, or 0.</summary>
    public long Integer { get; }
}
