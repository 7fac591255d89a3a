using System.Text;
using System.Text.Json;

namespace Tollgate.Engine.Json;

/// <summary>
/// Reuses the string of a recently read value with the same bytes. Rules-engine JSON repeats the same short texts
/// many times (account and environment ids in every object, trait definition ids, plan ids), so most reads find
/// their string here instead of allocating one. One cache per thread; strings are immutable, so sharing them is safe.
/// </summary>
internal static class RecentStrings
{
    private const int SlotCount = 512;
    private const int MaxCachedBytes = 64;

    [ThreadStatic]
    private static Entry[]? t_slots;

    public static string Get(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxCachedBytes)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        if (bytes.Length == 0)
        {
            return string.Empty;
        }

        var slots = t_slots ??= new Entry[SlotCount];
        ref var slot = ref slots[Slot(bytes)];
        if (slot.Bytes is { } cached && bytes.SequenceEqual(cached))
        {
            return slot.Text!;
        }

        var text = Encoding.UTF8.GetString(bytes);
        slot = new Entry(bytes.ToArray(), text);
        return text;
    }

    private static int Slot(ReadOnlySpan<byte> bytes)
    {
        var hash = (uint)bytes.Length * 0x9E3779B1u;
        hash ^= bytes[0] * 0x85EBCA6Bu;
        hash ^= bytes[^1] * 0xC2B2AE35u;
        hash ^= bytes[bytes.Length / 2] * 0x27D4EB2Fu;
        if (bytes.Length >= 4)
        {
            hash ^= System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]) * 0x165667B1u;
        }

        return (int)((hash ^ (hash >> 15)) & (SlotCount - 1));
    }

    private readonly record struct Entry(byte[]? Bytes, string? Text);
}
