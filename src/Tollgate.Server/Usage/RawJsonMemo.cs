using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Tollgate.Server.Usage;

/// <summary>
/// Values remembered by a JSON value's raw UTF-8 text as sent, looked up without turning it into a string: the events
/// of a batch repeat the same values (a company object, an api_key) and a lookup per event must not allocate.
/// </summary>
internal sealed class RawJsonMemo<TValue>
{
    private readonly Dictionary<byte[], TValue> _values = new(RawBytesComparer.Instance);
    private readonly Dictionary<byte[], TValue>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;

    public RawJsonMemo() => _bySpan = _values.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>The value remembered for <paramref name="element"/>'s text, if any.</summary>
    public bool TryGet(JsonElement element, [MaybeNullWhen(false)] out TValue value) =>
        _bySpan.TryGetValue(JsonMarshal.GetRawUtf8Value(element), out value);

    /// <summary>Remembers <paramref name="value"/> for <paramref name="element"/>'s text.</summary>
    public void Set(JsonElement element, TValue value) => _bySpan[JsonMarshal.GetRawUtf8Value(element)] = value;

    private sealed class RawBytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly RawBytesComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
