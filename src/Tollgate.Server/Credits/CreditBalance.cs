namespace Tollgate.Server.Credits;

/// <summary>
/// A company's balance of one credit type at one instant (spec §3.8): <see cref="Remaining"/> is available for new
/// holds, <see cref="Reserved"/> is held, <see cref="Settled"/> (their sum) is what to show users, <see cref="Total"/>
/// is what the live grants gave, and <see cref="Used"/> is what of it is gone.
/// </summary>
internal sealed record CreditBalance(string CreditTypeId, double Remaining, double Reserved, double Total, bool Postpaid, double? OverdraftLimit)
{
    public double Settled => Remaining + Reserved;

    public double Used => Total - Settled;
}
