using Tollgate.Server.Requests;

namespace Tollgate.Server.Billing.Push;

/// <summary>The rule every push keeps: a push may not take over a record another billing system owns (the sync of that system would fight it).</summary>
internal static class PushedProvider
{
    /// <summary>Refuses (400 <c>provider_type</c>) a push from <paramref name="pushed"/> of a <paramref name="what"/> stored from another provider.</summary>
    public static void EnsureSame(string? stored, string pushed, string what)
    {
        if (stored is not null && stored != pushed)
        {
            Errors.BadRequest("provider_type", $"the {what} with this external id comes from {stored}, not {pushed}");
        }
    }
}
