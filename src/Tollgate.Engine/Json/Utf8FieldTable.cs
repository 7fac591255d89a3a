using System.Text;

namespace Tollgate.Engine.Json;

/// <summary>
/// Finds a <see cref="Field"/> from a property name's UTF-8 bytes without decoding it: names are bucketed by length and
/// first and last byte, and the few candidates in a bucket are compared byte for byte.
/// </summary>
internal static class Utf8FieldTable
{
    private const int BucketCount = 1024;
    private static readonly (byte[] Name, Field Field)[][] Buckets = Build();

    public static Field Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0)
        {
            return Field.Unknown;
        }

        foreach (var (candidate, field) in Buckets[Bucket(name)])
        {
            if (name.SequenceEqual(candidate))
            {
                return field;
            }
        }

        return Field.Unknown;
    }

    private static int Bucket(ReadOnlySpan<byte> name) => ((name.Length * 31) + (name[0] * 7) + name[^1]) & (BucketCount - 1);

    private static (byte[] Name, Field Field)[][] Build()
    {
        var lists = new List<(byte[], Field)>[BucketCount];
        foreach (var (name, field) in FieldNames.All)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            (lists[Bucket(bytes)] ??= []).Add((bytes, field));
        }

        return [.. lists.Select(l => l?.ToArray() ?? [])];
    }
}
