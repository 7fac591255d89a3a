namespace Tollgate.Server.Datastream;

/// <summary>The entity types of Schematic's datastream protocol (spec/schematic.md §2).</summary>
internal static class DatastreamEntityTypes
{
    public const string Company = "rulesengine.Company";
    public const string Companies = "rulesengine.Companies";
    public const string User = "rulesengine.User";
    public const string Users = "rulesengine.Users";
    public const string Flag = "rulesengine.Flag";
    public const string Flags = "rulesengine.Flags";
}
