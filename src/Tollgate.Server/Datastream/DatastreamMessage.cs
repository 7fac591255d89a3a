using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Tollgate.Engine.Model;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Datastream;

/// <summary>
/// The server's frames (spec/schematic.md §2): <c>{"data", "entity_id"?, "entity_type", "message_type"}</c>. The
/// frames a push sends (flags, a company or user in full, a company's usage) are serialized once per version of the
/// entity and the same bytes are sent by every connection that sends it.
/// </summary>
internal static class DatastreamMessage
{
    // Keyed by the immutable objects the warm views hold: a rebuilt view is a new key, a dropped one is collected.
    private static readonly ConditionalWeakTable<object, byte[]> FullFrames = new();
    private static readonly ConditionalWeakTable<Company, byte[]> PartialFrames = new();
    private static readonly ConditionalWeakTable<Company, byte[]> Skeletons = new();

    public const string Full = "full";
    public const string Partial = "partial";
    public const string Delete = "delete";
    public const string Error = "error";

    /// <summary>Every flag of the catalog, for a <c>rulesengine.Flags</c> full message.</summary>
    public static byte[] Flags(CatalogSnapshot catalog) =>
        FullFrames.GetValue(catalog, static c =>
        {
            var snapshot = (CatalogSnapshot)c;
            return Frame(DatastreamEntityTypes.Flags, null, Full, JsonSerializer.SerializeToUtf8Bytes(snapshot.FlagsInOrder.Select(f => snapshot.CompiledFlags[f.Key].Source).ToList(), EngineJson.Options));
        });

    public static byte[] Company(Company company, string messageType) => messageType == Full
        ? FullFrames.GetValue(company, static c => Frame(DatastreamEntityTypes.Company, ((Company)c).Id, Full, CompanyJson((Company)c)))
        : Frame(DatastreamEntityTypes.Company, company.Id, messageType, CompanyJson(company));

    public static byte[] User(User user, string messageType) => messageType == Full
        ? FullFrames.GetValue(user, static u => Frame(DatastreamEntityTypes.User, ((User)u).Id, Full, UserJson((User)u)))
        : Frame(DatastreamEntityTypes.User, user.Id, messageType, UserJson(user));

    private static byte[] CompanyJson(Company company) => JsonSerializer.SerializeToUtf8Bytes(company, EngineJson.Options);

    private static byte[] UserJson(User user) => JsonSerializer.SerializeToUtf8Bytes(user, EngineJson.Options);

    /// <summary>
    /// A company's usage and credits only (metrics upsert, credit balances merge, entitlements replace: the protocol's
    /// partial merge rules), for a change that touched nothing else.
    /// </summary>
    public static byte[] CompanyUsage(Company company) =>
        PartialFrames.GetValue(company, static c => Frame(DatastreamEntityTypes.Company, c.Id, Partial, JsonSerializer.SerializeToUtf8Bytes(
            new UsagePartial(c.Id, c.Metrics, c.CreditBalances, c.Entitlements), EngineJson.Options)));

    /// <summary>
    /// Whether <paramref name="next"/> differs from <paramref name="sent"/> (what the client holds) only in what a
    /// usage partial carries, and merging that partial leaves the client with exactly <paramref name="next"/>: metrics
    /// and credit balances merge per key, so none the client holds may have gone.
    /// </summary>
    public static bool IsUsageOnlyChange(Company sent, Company next)
    {
        if (!Skeleton(sent).AsSpan().SequenceEqual(Skeleton(next)))
        {
            return false;
        }

        foreach (var credit in sent.CreditBalances.Keys)
        {
            if (!next.CreditBalances.ContainsKey(credit))
            {
                return false;
            }
        }

        var metrics = next.Metrics.Select(m => (m.EventSubtype, m.Period, m.MonthReset)).ToHashSet();
        return sent.Metrics.All(m => metrics.Contains((m.EventSubtype, m.Period, m.MonthReset)));
    }

    private static byte[] Skeleton(Company company) => Skeletons.GetValue(company, static c =>
        JsonSerializer.SerializeToUtf8Bytes(c with { Metrics = [], CreditBalances = System.Collections.ObjectModel.ReadOnlyDictionary<string, double>.Empty, Entitlements = [] }, EngineJson.Options));

    /// <summary>An error; with <paramref name="keys"/> and <paramref name="entityType"/> it releases the SDK's waiter for them.</summary>
    public static byte[] Failure(string error, IReadOnlyDictionary<string, string>? keys, string? entityType) =>
        Frame(entityType ?? "unknown", null, Error, JsonSerializer.SerializeToUtf8Bytes(new ErrorData(error, keys, entityType), EngineJson.Options));

    private static byte[] Frame(string entityType, string? entityId, string messageType, byte[] data)
    {
        var buffer = new ArrayBufferWriter<byte>(data.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data, skipInputValidation: true);
            if (entityId is not null)
            {
                writer.WriteString("entity_id"u8, entityId);
            }

            writer.WriteString("entity_type"u8, entityType);
            writer.WriteString("message_type"u8, messageType);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record ErrorData(string Error, IReadOnlyDictionary<string, string>? Keys, string? EntityType);

    private sealed record UsagePartial(
        string Id,
        IReadOnlyList<CompanyMetric> Metrics,
        IReadOnlyDictionary<string, double> CreditBalances,
        IReadOnlyList<FeatureEntitlement> Entitlements);
}
