using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Schematic's success envelope: <c>{"data": …, "params": {…}}</c>.</summary>
public sealed record Envelope<T>(T Data, IReadOnlyDictionary<string, object?> Params);

/// <summary>Shortcuts for envelopes.</summary>
public static class Envelope
{
    private static readonly IReadOnlyDictionary<string, object?> NoParams = new Dictionary<string, object?>();

    /// <summary>Wraps data with empty params.</summary>
    public static Envelope<T> Of<T>(T data) => new(data, NoParams);

    /// <summary>Wraps a page with the paging params echoed.</summary>
    public static Envelope<IReadOnlyList<T>> Page<T>(IReadOnlyList<T> data, Paging paging) =>
        new(data, new Dictionary<string, object?> { ["limit"] = paging.Limit, ["offset"] = paging.Offset });
}

/// <summary>Deleted-resource answer.</summary>
public sealed record DeleteResult(bool Deleted);

/// <summary>Count answer.</summary>
public sealed record CountResult(long Count);
