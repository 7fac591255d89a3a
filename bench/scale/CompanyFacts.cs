namespace Tollgate.Scale;

/// <summary>What the generator wrote for one company, for checking the API's answers against.</summary>
/// <param name="Id">The company id (<c>comp_…</c>).</param>
/// <param name="Key">Its <c>id</c> key (<c>co-0000042</c>).</param>
/// <param name="Name">Its name.</param>
/// <param name="BasePlanId">Its base plan (the tried plan while trialing).</param>
/// <param name="AddOnIds">Its add-ons.</param>
/// <param name="Trialing">Whether it has an active trial.</param>
/// <param name="ApiCallsThisMonth">Its <c>api_call</c> usage in the current calendar month.</param>
/// <param name="ApiCallsLimit">Its effective monthly API-call limit (an override beats the plan); null: unlimited.</param>
/// <param name="ExportsThisMonth">Its <c>export</c> usage in the current calendar month.</param>
/// <param name="OverrideFeatureId">The feature of its active override, if any.</param>
/// <param name="UserEmails">Its users' <c>email</c> keys.</param>
public sealed record CompanyFacts(
    string Id,
    string Key,
    string Name,
    string BasePlanId,
    IReadOnlyList<string> AddOnIds,
    bool Trialing,
    long ApiCallsThisMonth,
    long? ApiCallsLimit,
    long ExportsThisMonth,
    string? OverrideFeatureId,
    IReadOnlyList<string> UserEmails)
{
    /// <summary>At or past the limit: a check of <c>api-calls</c> answers false.</summary>
    public bool OverLimit => ApiCallsLimit is { } limit && ApiCallsThisMonth >= limit;

    /// <summary>At 80% of the limit or more, but under it.</summary>
    public bool NearLimit => ApiCallsLimit is { } limit && !OverLimit && ApiCallsThisMonth * 5 >= limit * 4;
}
