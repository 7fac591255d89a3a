using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Tollgate.Server.Tests.Operations;

/// <summary>X-Forwarded-For and -Proto are believed from the listed proxies only.</summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.0.6", false)]
    public async Task ForwardedHeadersAreBelievedOnlyFromAKnownProxy(string peer, bool believed)
    {
        await using var server = await BuiltServer.CreateAsync(start: false, "--Tollgate:ForwardedHeaders:KnownProxies=10.0.0.5");
        server.App.MapGet("/test/seen", (HttpContext http) => $"{http.Request.Scheme} {http.Connection.RemoteIpAddress}");
        await server.App.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None);
        await server.App.StartAsync();

        var context = await server.TestServer.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/test/seen";
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        });
        using var reader = new StreamReader(context.Response.Body);

        Assert.Equal(believed ? "https 203.0.113.7" : $"http {peer}", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task AProxyThatIsNotAnAddressStopsTheStartByName()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuiltServer.CreateAsync(start: false, "--Tollgate:ForwardedHeaders:KnownProxies=proxy.local"));

        Assert.Contains("Tollgate:ForwardedHeaders:KnownProxies", error.Message, StringComparison.Ordinal);
    }
}
