using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.Tests.Functional.Startup;

/// <summary>
/// The demo data set is loaded by default on embedded SQLite (trying Tollgate out) and not on PostgreSQL (a shared,
/// long-lived database); <c>--demo</c> and <c>--no-demo</c> override the default. Read from the server's own
/// configuration, as built from the command line.
/// </summary>
public sealed class DemoDefaultTests
{
    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--no-demo" }, false)]
    [InlineData(new[] { "--postgres", "Host=db.invalid;Database=tollgate" }, false)]
    [InlineData(new[] { "--postgres", "Host=db.invalid;Database=tollgate", "--demo" }, true)]
    [InlineData(new[] { "--demo", "--postgres", "Host=db.invalid;Database=tollgate" }, true)]
    public async Task TheDemoDataIsOnForSqliteAndOffForPostgresUnlessAsked(string[] args, bool loaded)
    {
        await using var app = TollgateServer.Build(args);

        Assert.Equal(loaded, app.Services.GetRequiredService<IOptions<TollgateOptions>>().Value.DemoEnabled);
    }
}
