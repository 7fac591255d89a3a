namespace Tollgate.Server.Environments;

/// <summary>Schematic's environment types (<c>EnvironmentType</c>).</summary>
public static class EnvironmentTypes
{
    /// <summary>The type of an environment created without one, and of every environment made before types existed.</summary>
    public const string Development = "development";

    /// <summary>The accepted values, for validation.</summary>
    public static readonly (string Name, string Value)[] All = [("development", "development"), ("staging", "staging"), ("production", "production")];
}
