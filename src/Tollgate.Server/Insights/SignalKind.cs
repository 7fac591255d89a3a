namespace Tollgate.Server.Insights;

/// <summary>The four signal lists and their names on the wire (<c>/insights/signals/{name}</c>) and in the table.</summary>
public static class SignalKinds
{
    /// <summary>At or over a limit, or over it in several recent periods.</summary>
    public const string OverUsers = "over-users";

    /// <summary>Paying, with a feature's use far below its allocation for several periods.</summary>
    public const string UnderUsers = "under-users";

    /// <summary>Near a limit with growing usage.</summary>
    public const string Expansion = "expansion";

    /// <summary>Usage falling, or a trial ending unused.</summary>
    public const string AtRisk = "at-risk";

    /// <summary>Every kind, in the order the console shows them.</summary>
    public static readonly IReadOnlyList<string> All = [OverUsers, Expansion, UnderUsers, AtRisk];
}
