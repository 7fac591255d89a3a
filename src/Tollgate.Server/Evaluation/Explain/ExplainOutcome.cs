namespace Tollgate.Server.Evaluation.Explain;

/// <summary>Whether an explanation could be made, or what was not found.</summary>
public enum ExplainOutcome
{
    /// <summary>The flag was checked and every rule explained.</summary>
    Answered,

    /// <summary>No flag has this key: a check answers 404.</summary>
    FlagNotFound,

    /// <summary>No company has this id or these keys: a check answers the flag's default, "Company not found".</summary>
    CompanyNotFound,

    /// <summary>No user has this id or these keys: a check answers the flag's default, "User not found".</summary>
    UserNotFound,
}
