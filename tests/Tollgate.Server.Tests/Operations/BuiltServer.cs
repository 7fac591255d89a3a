using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Tollgate.Server.Tests.Operations;

/// <summary>
/// The server built by <see cref="TollgateServer.Build"/> from command-line arguments alone, as the binary starts it
/// (settings a WebApplicationFactory adds arrive only after the builder has read its configuration), on a temporary
/// SQLite file with an empty content root (no appsettings.json), in memory (TestServer).
/// </summary>
internal sealed class BuiltServer : IAsyncDisposable
{
    private readonly string _folder;

    private BuiltServer(string folder, WebApplication app) => (_folder, App) = (folder, app);

    public WebApplication App { get; }

    /// <summary>Builds the server; <paramref name="start"/> also migrates and starts it.</summary>
    public static Task<BuiltServer> CreateAsync(bool start, params string[] args) => CreateAsync(start, _ => { }, args);

    /// <summary>As <see cref="CreateAsync(bool, string[])"/>, with <paramref name="configure"/> run on the builder (a test's log capture).</summary>
    public static async Task<BuiltServer> CreateAsync(bool start, Action<WebApplicationBuilder> configure, params string[] args)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tollgate-built-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var app = TollgateServer.Build(
            [$"--contentRoot={folder}", $"--Tollgate:Storage:ConnectionString=Data Source={Path.Combine(folder, "tollgate.db")}", "--Tollgate:Demo=false", .. args],
            builder =>
            {
                builder.WebHost.UseTestServer();
                configure(builder);
            });
        var server = new BuiltServer(folder, app);
        if (start)
        {
            await app.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None);
            await app.StartAsync();
        }

        return server;
    }

    public TestServer TestServer => (TestServer)App.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
