using Tollgate.Server.Companies;

namespace Tollgate.Server.Api;

/// <summary>
/// Erasure of a company's or a user's personal data (<see cref="PersonalDataEraser"/>): <c>DELETE
/// /companies/{id}/personal-data</c> and <c>DELETE /users/{id}/personal-data</c>, secret keys only. The entity stays
/// (its id, plans, usage and billing records); what identified a person is gone.
/// </summary>
internal static class PersonalDataEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapDelete("/companies/{companyId}/personal-data", async (HttpContext http, string companyId, PersonalDataEraser eraser, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await eraser.EraseCompanyAsync(http.Scope(), companyId, ct).ConfigureAwait(false))))
            .WithTags("Companies")
            .WithSummary("Erase a company's personal data: name, traits, keys but `id`, event bodies naming it, earlier audit documents.");
        api.MapDelete("/users/{userId}/personal-data", async (HttpContext http, string userId, PersonalDataEraser eraser, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await eraser.EraseUserAsync(http.Scope(), userId, ct).ConfigureAwait(false))))
            .WithTags("Users")
            .WithSummary("Erase a user's personal data: name, email and every key but `id`, traits, event bodies naming them, earlier audit documents.");
    }
}
