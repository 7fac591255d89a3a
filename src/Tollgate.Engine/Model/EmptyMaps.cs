using System.Collections.ObjectModel;

namespace Tollgate.Engine.Model;

/// <summary>Shared empty dictionaries for optional map properties.</summary>
internal static class EmptyMaps
{
    public static readonly IReadOnlyDictionary<string, string> Strings = ReadOnlyDictionary<string, string>.Empty;
    public static readonly IReadOnlyDictionary<string, double> Doubles = ReadOnlyDictionary<string, double>.Empty;
    public static readonly IReadOnlyDictionary<string, CreditPostpaid> Postpaid = ReadOnlyDictionary<string, CreditPostpaid>.Empty;
}
