using Tollgate.Server.PlanMigrations;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// Plan version migrations (Schematic's <c>planmigrations</c>): create, preview, list and count, progress, cancel,
/// complete now and retry; and their companies, listed, counted and retried one by one. Secret keys only.
/// </summary>
internal static class PlanMigrationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var migrations = api.MapGroup("/plan-version-migrations").WithTags("Plan migrations");
        migrations.MapGet("/", async (HttpContext http, PlanMigrationService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var selected = await service.SelectAsync(http.Scope(), query, ct).ConfigureAwait(false);
            var page = await service.DescribeAsync(http.Scope().EnvironmentId, [.. selected.Skip(paging.Offset).Take(paging.Limit)], ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<PlanMigrationResponse>>(page, query.PageParams()));
        });
        migrations.MapGet("/count", async (HttpContext http, PlanMigrationService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var selected = await service.SelectAsync(http.Scope(), query, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(selected.Count), query.Filters));
        });
        migrations.MapPost("/", async (HttpContext http, CreateMigrationRequest? body, PlanMigrationService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false))));
        migrations.MapPost("/preview", async (HttpContext http, PreviewMigrationRequest? body, PlanMigrationPreviewer previewer, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await previewer.PreviewAsync(http.Scope(), body, ct).ConfigureAwait(false))));
        migrations.MapGet("/{migrationId}", async (HttpContext http, string migrationId, PlanMigrationService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope(), migrationId, ct).ConfigureAwait(false))));
        migrations.MapPost("/{migrationId}/cancel", async (HttpContext http, string migrationId, PlanMigrationService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.CancelAsync(http.Scope(), migrationId, ct).ConfigureAwait(false))));
        migrations.MapPost("/{migrationId}/complete-now", async (HttpContext http, string migrationId, CompleteMigrationNowRequest? body, PlanMigrationService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.CompleteNowAsync(http.Scope(), migrationId, body, ct).ConfigureAwait(false))));
        migrations.MapPost("/{migrationId}/retry", async (HttpContext http, string migrationId, RetryMigrationRequest? body, PlanMigrationService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.RetryAsync(http.Scope(), migrationId, body, ct).ConfigureAwait(false))));

        var companies = api.MapGroup("/plan-version-company-migrations").WithTags("Plan migrations");
        companies.MapGet("/", async (HttpContext http, PlanMigrationStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var rows = await store.ListRowsAsync(http.Scope().EnvironmentId, Filter(query), paging.Limit, paging.Offset, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<CompanyMigrationResponse>>([.. rows.Select(CompanyMigrationResponse.From)], query.PageParams()));
        });
        companies.MapGet("/count", async (HttpContext http, PlanMigrationStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var count = await store.CountRowsAsync(http.Scope().EnvironmentId, Filter(query), ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.Filters));
        });
        companies.MapPost("/{rowId}/retry", async (HttpContext http, string rowId, PlanMigrationService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.RetryCompanyAsync(http.Scope(), rowId, ct).ConfigureAwait(false))));
    }

    private static CompanyRowFilter Filter(ListQuery query) => new(
        query.One("migration_id"),
        query.One("status") is { } status ? PlanMigrationValues.OneOf(status, "status", PlanMigrationValues.CompanyStatuses) : null,
        query.One("q"));
}
