namespace Tollgate.Server.Credits;

/// <summary>A <c>credit_balances</c> row as stored (expired grants and holds not yet applied).</summary>
internal sealed class BalanceRow
{
    /// <summary>The company, when balances of many companies are read at once.</summary>
    public string CompanyId { get; set; } = string.Empty;

    public string CreditTypeId { get; set; } = string.Empty;

    /// <summary>Available for new holds and burns; below zero only when postpaid.</summary>
    public double Remaining { get; set; }

    /// <summary>Held by open reservations.</summary>
    public double Reserved { get; set; }

    /// <summary>Burnt beyond every grant (postpaid); the next grant pays it off first.</summary>
    public double Debt { get; set; }

    /// <summary>1 when the balance may go below zero.</summary>
    public long Postpaid { get; set; }

    /// <summary>How far below zero a postpaid balance may go; null: without limit.</summary>
    public double? OverdraftLimit { get; set; }
}
