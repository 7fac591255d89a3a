using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing;

/// <summary>
/// An import's progress, kept as the <c>import</c> area of <see cref="StripeSyncStatus"/> after every page: the phase
/// and the cursor (the last object id finished) are where an interrupted or failed import continues.
/// </summary>
public sealed record StripeImportProgress
{
    /// <summary><c>running</c>, <c>completed</c> or <c>failed</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = StripeImportStatuses.Running;

    /// <summary>What is being imported: <c>products</c>, <c>prices</c>, <c>customers</c>, <c>subscriptions</c>, then <c>done</c>.</summary>
    [JsonPropertyName("phase")]
    public string Phase { get; init; } = StripeImportPhases.Products;

    /// <summary>Objects imported so far, by phase.</summary>
    [JsonPropertyName("counts")]
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>The id of the last object of the phase imported (Stripe's <c>starting_after</c>); null at a phase's start.</summary>
    [JsonPropertyName("cursor")]
    public string? Cursor { get; init; }

    /// <summary>When this import started (a resumed one keeps its start).</summary>
    [JsonPropertyName("started_at")]
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it completed or failed.</summary>
    [JsonPropertyName("finished_at")]
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why it failed (Stripe's answer); starting it again resumes it.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>Active products mapped to no plan (subscribed items of them change no plan): map them with <c>PUT /billing/products/{id}</c>.</summary>
    [JsonPropertyName("unmapped_products")]
    public IReadOnlyList<UnmappedProduct> UnmappedProducts { get; init; } = [];

    /// <summary>The count of a phase.</summary>
    public long CountOf(string phase) => Counts.TryGetValue(phase, out var count) ? count : 0;
}

/// <summary>A Stripe product no plan is mapped to.</summary>
public sealed record UnmappedProduct(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("subscribed")] bool Subscribed);

/// <summary>Values of <see cref="StripeImportProgress.Status"/>.</summary>
public static class StripeImportStatuses
{
    /// <summary>Running, or interrupted (the process stopped): starting it again resumes it.</summary>
    public const string Running = "running";

    /// <summary>Every phase done.</summary>
    public const string Completed = "completed";

    /// <summary>Stopped by a failure (see the error); starting it again resumes it.</summary>
    public const string Failed = "failed";
}

/// <summary>Values of <see cref="StripeImportProgress.Phase"/>, in order.</summary>
public static class StripeImportPhases
{
    /// <summary>Products.</summary>
    public const string Products = "products";

    /// <summary>Prices.</summary>
    public const string Prices = "prices";

    /// <summary>Customers.</summary>
    public const string Customers = "customers";

    /// <summary>Subscriptions of every status.</summary>
    public const string Subscriptions = "subscriptions";

    /// <summary>Nothing left.</summary>
    public const string Done = "done";

    /// <summary>The phase after <paramref name="phase"/>.</summary>
    public static string Next(string phase) => phase switch
    {
        Products => Prices,
        Prices => Customers,
        Customers => Subscriptions,
        _ => Done,
    };
}
