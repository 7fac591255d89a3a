namespace Tollgate.Client.Tests.Infrastructure;

/// <summary>One <see cref="LiveServer"/> for the test classes that never stop it (each writes its own companies).</summary>
[CollectionDefinition(Name)]
public sealed class SharedServer : ICollectionFixture<LiveServer>
{
    public const string Name = "shared live server";
}
