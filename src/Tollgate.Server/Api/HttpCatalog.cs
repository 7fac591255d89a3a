using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Api;

/// <summary>The catalog of the request's environment, for describing resources in their response shape.</summary>
internal static class HttpCatalog
{
    public static ValueTask<CatalogSnapshot> CatalogAsync(this HttpContext http, CancellationToken cancellationToken) =>
        http.RequestServices.GetRequiredService<RuntimeRegistry>().For(http.Scope().EnvironmentId).CatalogAsync(cancellationToken);
}
