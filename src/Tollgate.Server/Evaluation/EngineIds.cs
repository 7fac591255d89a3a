namespace Tollgate.Server.Evaluation;

/// <summary>Fixed values of engine fields Tollgate has no separate notion of.</summary>
internal static class EngineIds
{
    /// <summary>Tollgate is single-account: every engine object carries this account id.</summary>
    public const string Account = "acct_tollgate";
}
