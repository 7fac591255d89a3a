namespace Tollgate.Engine.Explanations;

/// <summary>Where a rule taking part in a check came from.</summary>
public enum RuleSource
{
    /// <summary>The flag's own rules.</summary>
    Flag,

    /// <summary>The company's rules for the flag (its overrides).</summary>
    Company,

    /// <summary>The user's rules for the flag.</summary>
    User,
}
