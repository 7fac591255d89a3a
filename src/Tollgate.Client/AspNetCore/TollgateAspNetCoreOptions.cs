using Microsoft.AspNetCore.Http;

namespace Tollgate.Client.AspNetCore;

/// <summary>
/// The ASP.NET Core integration's settings, bound from the <c>Tollgate</c> configuration section (<c>ApiKey</c>) and
/// completed in code (who the request's company and user are).
/// </summary>
public sealed class TollgateAspNetCoreOptions
{
    /// <summary>The claim <see cref="CompanyKeys"/> reads by default: its value is the company's <c>id</c> key.</summary>
    public const string CompanyClaim = "tollgate_company";

    /// <summary>The secret API key (configuration <c>Tollgate:ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The keys of the company a request acts for; null checks without a company (the flag's rules for nobody).
    /// Default: <c>{"id": claim tollgate_company}</c> of the signed-in user.
    /// </summary>
    public Func<HttpContext, Dictionary<string, string>?> CompanyKeys { get; set; } =
        http => http.User.FindFirst(CompanyClaim)?.Value is { } id ? new Dictionary<string, string> { ["id"] = id } : null;

    /// <summary>The keys of the user a request acts for. Default: none.</summary>
    public Func<HttpContext, Dictionary<string, string>?> UserKeys { get; set; } = _ => null;
}
