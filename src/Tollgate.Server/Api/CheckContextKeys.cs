using Tollgate.Server.Companies;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// A check context names its company and its user by at most <see cref="CompanyService.MaxKeys"/> keys each (the most
/// an entity may hold): every key is a lookup, so an unbounded map would let one request cost unbounded work.
/// </summary>
internal static class CheckContextKeys
{
    /// <summary>400 naming <c>{prefix}company</c> or <c>{prefix}user</c> when either names too many keys.</summary>
    public static void Check(IReadOnlyDictionary<string, string>? company, IReadOnlyDictionary<string, string>? user, string prefix = "")
    {
        if (company is { Count: > CompanyService.MaxKeys })
        {
            Errors.BadRequest($"{prefix}company", $"at most {CompanyService.MaxKeys} keys");
        }

        if (user is { Count: > CompanyService.MaxKeys })
        {
            Errors.BadRequest($"{prefix}user", $"at most {CompanyService.MaxKeys} keys");
        }
    }
}
