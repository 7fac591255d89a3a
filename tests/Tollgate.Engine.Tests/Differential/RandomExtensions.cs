namespace Tollgate.Engine.Tests.Differential;

/// <summary>Small drawing helpers over a seeded <see cref="Random"/>, so generated scenarios are reproducible.</summary>
internal static class RandomExtensions
{
    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>A random subset (possibly empty) in random order.</summary>
    public static List<T> Subset<T>(this Random random, IReadOnlyList<T> items, int maxCount)
    {
        var count = random.Next(maxCount + 1);
        return [.. items.OrderBy(_ => random.Next()).Take(count)];
    }

    /// <summary>Picks by weight: <paramref name="weighted"/> holds (weight, value) pairs.</summary>
    public static T Weighted<T>(this Random random, params (int Weight, T Value)[] weighted)
    {
        var roll = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (weight, value) in weighted)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return weighted[^1].Value;
    }
}
