using Tollgate.Server.Requests;

namespace Tollgate.Server.Environments;

/// <summary>
/// Body of <c>PUT /environment/publishable-policy</c>: the whole policy; a field left out takes its default (the
/// defaults are those of <see cref="PublishablePolicy.Default"/>).
/// </summary>
public sealed record PublishablePolicyRequest(
    bool? CreateCompanies,
    bool? CreateUsers,
    IReadOnlyList<string?>? CompanyTraits,
    IReadOnlyList<string?>? UserTraits,
    bool? UsageReachesBilling,
    long? MaxQuantity)
{
    /// <summary>The policy the request asks for; 400 naming the field when it cannot be one.</summary>
    public PublishablePolicy ToPolicy()
    {
        var defaults = PublishablePolicy.Default;
        if (MaxQuantity is < 1 or > Usage.EventIntake.MaxQuantity)
        {
            Errors.BadRequest("max_quantity", $"must be a whole number from 1 to {Usage.EventIntake.MaxQuantity}");
        }

        return new PublishablePolicy(
            CreateCompanies ?? defaults.CreateCompanies,
            CreateUsers ?? defaults.CreateUsers,
            TraitNames(CompanyTraits, "company_traits"),
            TraitNames(UserTraits, "user_traits"),
            UsageReachesBilling ?? defaults.UsageReachesBilling,
            MaxQuantity ?? defaults.MaxQuantity);
    }

    private static string[] TraitNames(IReadOnlyList<string?>? names, string field)
    {
        if (names is null)
        {
            return [];
        }

        if (names.Count > PublishablePolicy.MaxAllowedTraits)
        {
            Errors.BadRequest(field, $"at most {PublishablePolicy.MaxAllowedTraits} trait names");
        }

        for (var i = 0; i < names.Count; i++)
        {
            Validate.Required(names[i], $"{field}[{i}]");
        }

        return [.. names.Select(n => n!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
