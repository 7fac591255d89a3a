namespace Tollgate.Server.Environments;

/// <summary>
/// What an environment lets its publishable keys do through <c>identify</c> and <c>track</c>. A publishable key is
/// public (it ships in browser code), so anything it may do, anyone may do: the defaults allow the least. Whatever the
/// policy says, a publishable key never changes the keys or the name of an existing company or user, and never sets a
/// reserved key (<see cref="Companies.ReservedKeys"/>).
/// </summary>
/// <param name="CreateCompanies">Whether an identify or track naming unknown company keys may create the company (default false).</param>
/// <param name="CreateUsers">Whether an identify naming unknown user keys may create the user (default false).</param>
/// <param name="CompanyTraits">The company traits an identify may set (default none).</param>
/// <param name="UserTraits">The user traits an identify may set (default none).</param>
/// <param name="UsageReachesBilling">
/// Whether tracked usage reaches billing: the Stripe meter outbox and credit burns (default false: it counts in
/// metrics and limits only).
/// </param>
/// <param name="MaxQuantity">The largest quantity one tracked event may report (default 1,000).</param>
public sealed record PublishablePolicy(
    bool CreateCompanies,
    bool CreateUsers,
    IReadOnlyList<string> CompanyTraits,
    IReadOnlyList<string> UserTraits,
    bool UsageReachesBilling,
    long MaxQuantity)
{
    /// <summary>The default <see cref="MaxQuantity"/>.</summary>
    public const long DefaultMaxQuantity = 1_000;

    /// <summary>The most trait names one allow-list may hold.</summary>
    public const int MaxAllowedTraits = 200;

    /// <summary>The policy of an environment that set none: creates nothing, sets no trait, bills nothing.</summary>
    public static PublishablePolicy Default { get; } = new(false, false, [], [], false, DefaultMaxQuantity);
}
