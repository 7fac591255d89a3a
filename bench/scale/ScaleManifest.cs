using System.Text.Json;

namespace Tollgate.Scale;

/// <summary>What a run leaves beside the store: the key, the counts and timings, and sample companies to query.</summary>
internal sealed record ScaleManifest(string SecretKey, ScaleResult Result, long StoreBytes)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
