using System.Globalization;
using System.Text.Json;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Companies;

/// <summary>Setting or incrementing one trait (<c>POST /company-traits</c>, <c>POST /user-traits</c>).</summary>
internal static class TraitChange
{
    /// <summary>Checks the request; returns the entity keys and the trait name.</summary>
    public static (IReadOnlyDictionary<string, string> Keys, string Name) Check(TraitChangeRequest request)
    {
        var keys = CompanyService.CheckKeys(request.Keys, "keys");
        var name = Validate.Required(request.Trait, "trait");
        if (request.Set is null == request.Incr is null)
        {
            Errors.BadRequest("set", "give exactly one of set and incr");
        }

        if (request.Set is { ValueKind: JsonValueKind.Object or JsonValueKind.Array })
        {
            Errors.BadRequest("set", "must be a string, number, boolean or null");
        }

        return (keys, name);
    }

    /// <summary>The traits with the change applied.</summary>
    public static Dictionary<string, JsonElement> Apply(IReadOnlyDictionary<string, JsonElement> traits, string name, TraitChangeRequest request)
    {
        var value = request.Set ?? Increment(traits.GetValueOrDefault(name), request.Incr!.Value);
        return new Dictionary<string, JsonElement>(traits) { [name] = value };
    }

    /// <summary>Traits after an upsert: given traits are set, a null value removes one, the rest are kept.</summary>
    public static Dictionary<string, JsonElement> Merge(IReadOnlyDictionary<string, JsonElement>? before, IReadOnlyDictionary<string, JsonElement>? changes)
    {
        var merged = new Dictionary<string, JsonElement>(before ?? new Dictionary<string, JsonElement>());
        foreach (var (name, value) in changes ?? new Dictionary<string, JsonElement>())
        {
            // A null value removes the trait.
            if (value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(name);
            }
            else
            {
                merged[name] = value.Clone();
            }
        }

        return merged;
    }

    private static JsonElement Increment(JsonElement current, double by)
    {
        // A stored number beyond double's range (e.g. 1e400) reads as infinity through double.TryParse.
        var now = current.ValueKind == JsonValueKind.Number && current.TryGetDouble(out var number) ? number
            : double.TryParse(TraitText.Of(current), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var result = now + by;
        if (!double.IsFinite(result))
        {
            Errors.BadRequest("incr", "the trait would pass the largest number a trait can hold");
        }

        return JsonSerializer.SerializeToElement(result);
    }
}
