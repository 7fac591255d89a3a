using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Tests.Shared;

/// <summary>Counts, on the server, the REST flag checks (<c>POST /flags/{key}/check</c>, <c>POST /flags/check</c>) it answered.</summary>
internal sealed class RestCheckCounter : IStartupFilter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, following) =>
        {
            var path = http.Request.Path.Value ?? string.Empty;
            if (HttpMethods.IsPost(http.Request.Method) && path.StartsWith("/flags/", StringComparison.Ordinal) && path.EndsWith("check", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }

            await following(http);
        });
        next(app);
    };
}
