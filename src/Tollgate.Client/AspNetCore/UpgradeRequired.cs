namespace Tollgate.Client.AspNetCore;

/// <summary>
/// The body of a 402 from <c>RequireEntitlement</c>: what was refused and how to get it (serialized snake_case).
/// </summary>
/// <param name="Error">A sentence for people.</param>
/// <param name="Feature">The flag (feature) key refused.</param>
/// <param name="Reason">Why the check was false.</param>
/// <param name="Limit">The company's limit, when it has one.</param>
/// <param name="Usage">The company's usage against it.</param>
/// <param name="Plans">The plans and add-ons that include the feature.</param>
public sealed record UpgradeRequired(string Error, string Feature, string Reason, long? Limit, long? Usage, IReadOnlyList<PlanInfo> Plans);
