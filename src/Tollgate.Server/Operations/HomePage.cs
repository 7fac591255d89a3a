using System.Reflection;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Operations;

/// <summary>
/// <c>GET /about</c>: a small server-rendered page for a person who opens the server in a browser — what this is, its
/// version and readiness, and where the API reference is. <c>GET /</c> sends a browser to the console. No API key, no
/// script; it names the store's kind but never its address.
/// </summary>
internal static class HomePage
{
    /// <summary>The server's version: the assembly's informational version without the source-control suffix.</summary>
    public static readonly string Version = (typeof(HomePage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];

    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => TypedResults.Redirect("/console")).ExcludeFromDescription();
        app.MapGet("/about", async (HealthCheckService health, Database database, CancellationToken ct) =>
        {
            var report = await health.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.ReadyTag), ct).ConfigureAwait(false);
            var store = database.Dialect == SqlDialect.Postgres ? "PostgreSQL" : "SQLite";
            return TypedResults.Content(Render(report, store), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
    }

    private static string Render(HealthReport report, string store)
    {
        var ready = report.Status == HealthStatus.Healthy;
        var detail = string.Join("; ", report.Entries.Values.Select(e => e.Description).OfType<string>());
        var html = HtmlEncoder.Default;
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Tollgate {{html.Encode(Version)}}</title>
            <style>
              :root { color-scheme: light dark; --fg: #1a1a1a; --bg: #ffffff; --muted: #4a4a4a; --link: #0b57d0; --ok: #146c2e; --bad: #a50e0e; }
              @media (prefers-color-scheme: dark) { :root { --fg: #f1f1f1; --bg: #161616; --muted: #c4c4c4; --link: #a8c7fa; --ok: #6dd58c; --bad: #ffb4ab; } }
              body { font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
              main { max-width: 44rem; margin: 3rem auto; padding: 0 1.25rem; }
              h1 { font-size: 2rem; margin: 0 0 .25rem; }
              p.lead { color: var(--muted); margin-top: 0; }
              dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
              dt { font-weight: 600; }
              dd { margin: 0; }
              .ok { color: var(--ok); font-weight: 600; }
              .bad { color: var(--bad); font-weight: 600; }
              a { color: var(--link); }
              a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
              li { margin: .25rem 0; }
            </style>
            </head>
            <body>
            <main>
              <h1>Tollgate</h1>
              <p class="lead">Self-hosted entitlements, usage metering and billing sync, speaking Schematic's API.</p>
              <h2>This server</h2>
              <dl>
                <dt>Version</dt><dd>{{html.Encode(Version)}}</dd>
                <dt>Store</dt><dd>{{html.Encode(store)}}</dd>
                <dt>Status</dt><dd><span class="{{(ready ? "ok" : "bad")}}">{{(ready ? "Ready" : "Not ready")}}</span>{{(detail.Length > 0 ? " — " + html.Encode(detail) : string.Empty)}}</dd>
              </dl>
              <h2>Start here</h2>
              <ul>
                <li><a href="/console">Console</a> (sign in to manage plans, limits, companies and overrides)</li>
                <li><a href="/docs">API reference</a> (browsable; requests need an <code>X-Schematic-Api-Key</code> header)</li>
                <li><a href="/openapi/v1.json">OpenAPI document</a> (<code>/openapi/v1.json</code>)</li>
                <li><a href="/health/ready">Readiness</a> and <a href="/health/live">liveness</a></li>
                <li><a href="/metrics">Metrics</a> (Prometheus text format)</li>
              </ul>
            </main>
            </body>
            </html>
            """;
    }
}
