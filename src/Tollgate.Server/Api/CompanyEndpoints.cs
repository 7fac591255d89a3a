using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>Companies, users, their plans and traits, and company overrides.</summary>
internal static class CompanyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var companies = api.MapGroup("/companies").WithTags("Companies");
        companies.MapPost("/", async (HttpContext http, UpsertCompanyRequest body, CompanyService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.UpsertAsync(http.Scope(), body, createOnly: false, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        companies.MapPost("/create", async (HttpContext http, UpsertCompanyRequest body, CompanyService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await DescribeAsync(http, await service.UpsertAsync(http.Scope(), body, createOnly: true, ct).ConfigureAwait(false), ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        companies.MapListAndCount<CompanyRecord, CompanyResponse>(
            ResourceKinds.Company,
            (http, query, ct) => http.RequestServices.GetRequiredService<EntityFilters>().CompaniesAsync(http.Scope(), query, ct),
            (http, page, ct) => Describer(http).CompaniesAsync(http.Scope(), page, ct));
        companies.MapGet("/lookup", async (HttpContext http, EntityKeys keys, CompanyService service, CancellationToken ct) =>
        {
            var lookup = QueryKeys.From(http.Request, "keys");
            var id = await keys.FindAsync(http.Scope().EnvironmentId, EntityKeys.Company, lookup, ct).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
            var company = await service.GetAsync(http.Scope(), id, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CompanyResponse>(await DescribeAsync(http, company, ct).ConfigureAwait(false), new Dictionary<string, object?> { ["keys"] = lookup }));
        });
        companies.MapPost("/delete", async (HttpContext http, KeysRequest body, EntityKeys keys, CompanyService service, CancellationToken ct) =>
        {
            // Schematic answers the company deleted, in short (CompanyResponseData).
            var id = await keys.FindAsync(http.Scope().EnvironmentId, EntityKeys.Company, CompanyService.CheckKeys(body.Keys, "keys"), ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
            var company = await service.GetAsync(http.Scope(), id, ct).ConfigureAwait(false);
            return await service.DeleteAsync(http.Scope(), id, ct).ConfigureAwait(false)
                ? TypedResults.Ok(Envelope.Of(CompanySummaryResponse.From(company, http.Scope().EnvironmentId)))
                : CatalogEndpoints.Deleted(false, "company");
        });
        companies.MapGet("/{companyId}", async (HttpContext http, string companyId, CompanyService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.GetAsync(http.Scope(), companyId, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        companies.MapDelete("/{companyId}", async (HttpContext http, string companyId, CompanyService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), companyId, ct).ConfigureAwait(false), "company"));

        api.MapPut("/company-plans/{companyId}", async (HttpContext http, string companyId, CompanyPlansRequest body, CompanyService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.SetPlansAsync(http.Scope(), companyId, body, ct).ConfigureAwait(false), ct).ConfigureAwait(false))))
            .WithTags("Companies");
        api.MapPost("/company-traits", async (HttpContext http, TraitChangeRequest body, CompanyService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.ChangeTraitAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false))))
            .WithTags("Companies");

        api.MapPost("/user-traits", async (HttpContext http, TraitChangeRequest body, UserService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.ChangeTraitAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false))))
            .WithTags("Users");

        var users = api.MapGroup("/users").WithTags("Users");
        users.MapPost("/", async (HttpContext http, UpsertUserRequest body, UserService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.UpsertAsync(http.Scope(), body, createOnly: false, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        users.MapPost("/create", async (HttpContext http, UpsertUserRequest body, UserService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await DescribeAsync(http, await service.UpsertAsync(http.Scope(), body, createOnly: true, ct).ConfigureAwait(false), ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        users.MapListAndCount<UserRecord, UserResponse>(
            ResourceKinds.User,
            (http, query, ct) => http.RequestServices.GetRequiredService<EntityFilters>().UsersAsync(http.Scope(), query, ct),
            (http, page, ct) => Describer(http).UsersAsync(http.Scope(), page, ct));
        users.MapGet("/lookup", async (HttpContext http, EntityKeys keys, UserService service, CancellationToken ct) =>
        {
            var lookup = QueryKeys.From(http.Request, "keys");
            var id = await keys.FindAsync(http.Scope().EnvironmentId, EntityKeys.User, lookup, ct).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "user not found");
            var user = await service.GetAsync(http.Scope(), id, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<UserResponse>(await DescribeAsync(http, user, ct).ConfigureAwait(false), new Dictionary<string, object?> { ["keys"] = lookup }));
        });
        users.MapPost("/delete", async (HttpContext http, KeysRequest body, EntityKeys keys, UserService service, CancellationToken ct) =>
        {
            // Schematic answers the user deleted, in short (UserResponseData).
            var id = await keys.FindAsync(http.Scope().EnvironmentId, EntityKeys.User, CompanyService.CheckKeys(body.Keys, "keys"), ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "user not found");
            var user = await service.GetAsync(http.Scope(), id, ct).ConfigureAwait(false);
            return await service.DeleteAsync(http.Scope(), id, ct).ConfigureAwait(false)
                ? TypedResults.Ok(Envelope.Of(UserSummaryResponse.From(user, http.Scope().EnvironmentId)))
                : CatalogEndpoints.Deleted(false, "user");
        });
        users.MapGet("/{userId}", async (HttpContext http, string userId, UserService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.GetAsync(http.Scope(), userId, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        users.MapDelete("/{userId}", async (HttpContext http, string userId, UserService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), userId, ct).ConfigureAwait(false), "user"));

        var overrides = api.MapGroup("/company-overrides").WithTags("Company overrides");
        overrides.MapListAndCount<CompanyOverrideRecord, CompanyOverrideResponse>(
            ResourceKinds.CompanyOverride,
            ListEndpoints.ByParent<CompanyOverrideRecord>("company_id"),
            (o, catalog) => CompanyOverrideResponse.From(o, catalog.EnvironmentId));
        overrides.MapPost("/", async (HttpContext http, GrantRequest body, OverrideService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(CompanyOverrideResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId)), statusCode: StatusCodes.Status201Created));
        overrides.MapGet("/{overrideId}", async (HttpContext http, string overrideId, OverrideService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(CompanyOverrideResponse.From(await service.GetAsync(http.Scope(), overrideId, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        overrides.MapPut("/{overrideId}", async (HttpContext http, string overrideId, GrantRequest body, OverrideService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(CompanyOverrideResponse.From(await service.UpdateAsync(http.Scope(), overrideId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        overrides.MapDelete("/{overrideId}", async (HttpContext http, string overrideId, OverrideService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), overrideId, ct).ConfigureAwait(false), "company override"));
    }

    private static EntityDescriber Describer(HttpContext http) => http.RequestServices.GetRequiredService<EntityDescriber>();

    private static Task<CompanyResponse> DescribeAsync(HttpContext http, CompanyRecord company, CancellationToken cancellationToken) =>
        Describer(http).CompanyAsync(http.Scope(), company, cancellationToken);

    private static Task<UserResponse> DescribeAsync(HttpContext http, UserRecord user, CancellationToken cancellationToken) =>
        Describer(http).UserAsync(http.Scope(), user, cancellationToken);
}
