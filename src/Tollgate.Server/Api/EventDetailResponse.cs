using System.Text.Json;
using Tollgate.Server.Catalog;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Api;

/// <summary>
/// An event of the log in Schematic's shape (<c>EventDetailResponseData</c>). Tollgate processes an event in the
/// commit that stores it, so every logged event is <c>processed</c>, and was loaded and processed when received;
/// <c>captured_at</c> and <c>sent_at</c> are the event's own time (the client's, when trusted). The features are those
/// metering its subtype. The key that sent it is not kept (null); <c>backfill</c> and <c>received_at</c> are Tollgate's.
/// </summary>
public sealed record EventDetailResponse(
    string Id,
    string EnvironmentId,
    string Type,
    string? Subtype,
    string Status,
    JsonElement Body,
    string BodyPreview,
    long Quantity,
    string? CompanyId,
    PreviewResponse? Company,
    string? UserId,
    PreviewResponse? User,
    IReadOnlyList<string> FeatureIds,
    IReadOnlyList<PreviewResponse> Features,
    string? IdempotencyKey,
    DateTimeOffset CapturedAt,
    DateTimeOffset SentAt,
    DateTimeOffset LoadedAt,
    DateTimeOffset ProcessedAt,
    DateTimeOffset EnrichedAt,
    DateTimeOffset UpdatedAt,
    string? ApiKey,
    string? ErrorMessage,
    string? LeaseId,
    string? ReservationId,
    bool Backfill,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The longest body preview, in characters.</summary>
    public const int PreviewLength = 200;

    /// <summary>The answer for a logged event, with the names of its company and user when known.</summary>
    public static EventDetailResponse From(LoggedEvent e, IReadOnlyList<FeatureRecord> features, string? companyName, string? userName)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(features);
        using var document = JsonDocument.Parse(e.Body);
        var body = document.RootElement.Clone();
        string? leaseId = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("lease_id", out var lease) && lease.ValueKind == JsonValueKind.String ? lease.GetString() : null;
        return new EventDetailResponse(
            e.Id,
            e.EnvironmentId,
            e.Type,
            e.Subtype,
            "processed",
            body,
            e.Body.Length <= PreviewLength ? e.Body : e.Body[..PreviewLength],
            e.Quantity,
            e.CompanyId,
            e.CompanyId is null ? null : new PreviewResponse(e.CompanyId, companyName ?? e.CompanyId, string.Empty, null),
            e.UserId,
            e.UserId is null ? null : new PreviewResponse(e.UserId, userName ?? e.UserId, string.Empty, null),
            [.. features.Select(f => f.Id)],
            [.. features.Select(f => new PreviewResponse(f.Id, f.Name, f.Description ?? string.Empty, null))],
            e.IdempotencyKey,
            e.OccurredAt,
            e.OccurredAt,
            e.ReceivedAt,
            e.ReceivedAt,
            e.ReceivedAt,
            e.ReceivedAt,
            null,
            null,
            leaseId,
            null,
            e.Backfill,
            e.ReceivedAt);
    }
}
