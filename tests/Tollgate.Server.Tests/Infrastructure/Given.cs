using System.Net;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>Builds data through the API (the way a user would), answering the new resource's id.</summary>
public static class Given
{
    /// <summary>A company key map, <c>{"id": value}</c>.</summary>
    public static Dictionary<string, string> Keys(string id) => new() { ["id"] = id };

    /// <summary>A boolean feature whose flag key and name are <paramref name="key"/>.</summary>
    public static Task<string> BooleanFeatureAsync(ApiClient api, string key, bool defaultValue = false) =>
        CreateAsync(api, "/features", new { name = key, featureType = "boolean", flag = new { key, defaultValue } });

    /// <summary>A metered feature counting <paramref name="eventSubtype"/>.</summary>
    public static Task<string> EventFeatureAsync(ApiClient api, string key, string eventSubtype) =>
        CreateAsync(api, "/features", new { name = key, featureType = "event", eventSubtype, flag = new { key } });

    /// <summary>A feature whose usage is the company trait <paramref name="traitId"/>.</summary>
    public static Task<string> TraitFeatureAsync(ApiClient api, string key, string traitId) =>
        CreateAsync(api, "/features", new { name = key, featureType = "trait", traitId, flag = new { key } });

    /// <summary>A trait definition.</summary>
    public static Task<string> TraitAsync(ApiClient api, string name, string entityType = "company", string comparableType = "int") =>
        CreateAsync(api, "/trait-definitions", new { name, entityType, comparableType });

    /// <summary>A plan (or add-on).</summary>
    public static Task<string> PlanAsync(ApiClient api, string name, string planType = "plan") =>
        CreateAsync(api, "/plans", new { name, planType });

    /// <summary>A plan entitlement from a full request body.</summary>
    public static Task<string> EntitlementAsync(ApiClient api, object body) => CreateAsync(api, "/plan-entitlements", body);

    /// <summary>A company override from a full request body.</summary>
    public static Task<string> OverrideAsync(ApiClient api, object body) => CreateAsync(api, "/company-overrides", body);

    /// <summary>A company identified by <c>{"id": key}</c>, optionally on a plan and with traits.</summary>
    public static async Task<string> CompanyAsync(ApiClient api, string key, string? basePlanId = null, Dictionary<string, object>? traits = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var response = await api.PostAsync("/companies", new { keys = Keys(key), name = key, basePlanId, traits });
        return response.ShouldBe(HttpStatusCode.OK).Id;
    }

    /// <summary>The flag id of a feature.</summary>
    public static async Task<string> FlagIdOfAsync(ApiClient api, string featureId)
    {
        ArgumentNullException.ThrowIfNull(api);
        var feature = (await api.GetAsync($"/features/{featureId}")).ShouldBe(HttpStatusCode.OK);
        return feature.Data.GetProperty("flag_id").GetString()!;
    }

    private static async Task<string> CreateAsync(ApiClient api, string path, object body)
    {
        ArgumentNullException.ThrowIfNull(api);
        return (await api.PostAsync(path, body)).ShouldBe(HttpStatusCode.Created).Id;
    }
}
