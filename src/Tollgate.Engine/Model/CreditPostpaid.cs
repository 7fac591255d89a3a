namespace Tollgate.Engine.Model;

/// <summary>Postpaid settings of a company's credit: it may go below zero, down to the overdraft limit if one is set.</summary>
public sealed record CreditPostpaid
{
    /// <summary>How far below zero the balance may go; absent means without limit.</summary>
    public double? OverdraftLimit { get; init; }
}
