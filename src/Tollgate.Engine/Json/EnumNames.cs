namespace Tollgate.Engine.Json;

/// <summary>The wire names of an enum's values, for reading and writing.</summary>
internal sealed class EnumNames<T>
    where T : struct, Enum
{
    private readonly Dictionary<string, T> _byName;
    private readonly Dictionary<T, string> _byValue;

    public EnumNames(params (T Value, string Name)[] names)
    {
        _byName = names.ToDictionary(n => n.Name, n => n.Value, StringComparer.Ordinal);
        _byValue = names.ToDictionary(n => n.Value, n => n.Name);
        Expected = string.Join(", ", names.Select(n => $"`{n.Name}`"));
    }

    /// <summary>The accepted names, as an error message lists them.</summary>
    public string Expected { get; }

    public bool TryParse(string name, out T value) => _byName.TryGetValue(name, out value);

    public string NameOf(T value) => _byValue[value];
}
