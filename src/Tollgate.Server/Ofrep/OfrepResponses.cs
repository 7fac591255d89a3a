using System.Text.Json.Serialization;

namespace Tollgate.Server.Ofrep;

/// <summary>
/// A flag's answer in OFREP's shape (<c>evaluationSuccess</c>): <c>reason</c> is OpenFeature's (STATIC, TARGETING_MATCH,
/// DEFAULT), <c>variant</c> is <c>on</c> or <c>off</c>, and <c>metadata</c> carries Tollgate's own reason and ids.
/// </summary>
internal sealed record OfrepEvaluation(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] bool Value,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string> Metadata);

/// <summary>A failed evaluation of one flag (<c>evaluationFailure</c>, <c>flagNotFound</c>).</summary>
internal sealed record OfrepFailure(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("errorDetails")] string ErrorDetails);

/// <summary>A failed bulk evaluation (<c>bulkEvaluationFailure</c>).</summary>
internal sealed record OfrepBulkFailure(
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("errorDetails")] string ErrorDetails);

/// <summary>Every flag for one context (<c>bulkEvaluationSuccess</c>).</summary>
internal sealed record OfrepBulkEvaluation([property: JsonPropertyName("flags")] IReadOnlyList<OfrepEvaluation> Flags);
