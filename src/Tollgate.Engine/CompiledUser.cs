using Tollgate.Engine.Compiled;
using Tollgate.Engine.Model;

namespace Tollgate.Engine;

/// <summary>A user prepared for checks. Immutable and thread-safe; build a new one when the user changes.</summary>
public sealed class CompiledUser
{
    private CompiledUser(User user)
    {
        Source = user;
        Id = user.Id;
        Traits = new TraitTable(user.Traits);
        Rules = new RulesByFlag(user.Rules);
    }

    /// <summary>The user this was compiled from.</summary>
    public User Source { get; }

    /// <summary>The user's id.</summary>
    public string Id { get; }

    internal TraitTable Traits { get; }

    internal RulesByFlag Rules { get; }

    /// <summary>Prepares a user for checks.</summary>
    public static CompiledUser Compile(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new CompiledUser(user);
    }
}
