using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Operations;

/// <summary>
/// The server on SQLite with the demo data set, as a new user starts it (a class fixture). Stripe is a closed local
/// port, so a README command that reaches Stripe gets its 502 at once instead of waiting on the internet.
/// </summary>
public sealed class DemoServer() : TollgateFactory(StoreKind.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A later source wins: the base fixture turns the demo data off.
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tollgate:Demo"] = "true",
            ["Tollgate:Stripe:ApiBase"] = "http://127.0.0.1:9",
            ["Tollgate:Stripe:MaxNetworkRetries"] = "0",
        }));
    }
}
