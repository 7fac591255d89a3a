namespace Tollgate.Server.Storage;

/// <summary>One change notice: in an environment, these ids of this kind changed.</summary>
internal sealed record Change(string EnvironmentId, ChangeKind Kind, IReadOnlyList<string> Ids)
{
    /// <summary>The environment id of an <see cref="ChangeKind.Everything"/> change that covers every environment.</summary>
    public const string AllEnvironments = "*";

    /// <summary>True when another node published it (delivered through the database); false for this node's own writes.</summary>
    public bool FromOtherNode { get; init; }

    /// <summary>A change of one id.</summary>
    public static Change Of(string environmentId, ChangeKind kind, string id) => new(environmentId, kind, [id]);

    /// <summary>Anything in <paramref name="environmentId"/> (or <see cref="AllEnvironments"/>) may have changed.</summary>
    public static Change Everything(string environmentId) => new(environmentId, ChangeKind.Everything, []);

    /// <summary>Whether this is an <see cref="ChangeKind.Everything"/> change covering <paramref name="environmentId"/>.</summary>
    public bool ResetsEnvironment(string environmentId) =>
        Kind == ChangeKind.Everything && (EnvironmentId == AllEnvironments || EnvironmentId == environmentId);
}
