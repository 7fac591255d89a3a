using System.Globalization;
using System.Text.Json;
using Tollgate.Engine.Model;
using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Plan traits: set in bulk per plan; with <c>apply_to_existing_companies</c> every company holding the plan (as base
/// plan or add-on) gets the values as company traits, through the company write path, so checks on those traits follow.
/// </summary>
internal sealed class PlanTraitService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, CompanyService companies, TimeProvider time)
{
    public async Task<IReadOnlyList<PlanTraitRecord>> UpdateBulkAsync(RequestScope scope, PlanTraitsBulkRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var planId = Validate.Required(request.PlanId, "plan_id");
        if (!catalog.Plans.ContainsKey(planId))
        {
            Errors.BadRequest("plan_id", "must name an existing plan");
        }

        if (request.Traits is null)
        {
            Errors.BadRequest("traits", "is required");
        }

        var values = new List<(Catalog.TraitDefinitionRecord Definition, string Value, JsonElement Json)>();
        foreach (var (trait, i) in request.Traits.Select((t, i) => (t, i)))
        {
            var traitId = Validate.Required(trait?.TraitId, $"traits[{i}].trait_id");
            if (!catalog.TraitsById.TryGetValue(traitId, out var definition) || definition.EntityType != EntityType.Company)
            {
                Errors.BadRequest($"traits[{i}].trait_id", "must name an existing company trait definition");
            }

            var value = trait!.TraitValue ?? string.Empty;
            values.Add((definition, value, Json(definition.ComparableType, value, $"traits[{i}].trait_value")));
        }

        var existing = (await store.ListAsync<PlanTraitRecord>(scope.EnvironmentId, SubscriptionKinds.PlanTrait, planId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false))
            .ToDictionary(t => t.TraitId, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var written = new List<PlanTraitRecord>();
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var (definition, value, _) in values)
                {
                    var before = existing.GetValueOrDefault(definition.Id);
                    var after = before is null
                        ? new PlanTraitRecord { Id = Ids.New("pltr"), PlanId = planId, TraitId = definition.Id, TraitValue = value, CreatedAt = now, UpdatedAt = now }
                        : before with { TraitValue = value, UpdatedAt = now };
                    await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.PlanTrait, after.Id, $"{planId}:{definition.Id}", planId, before, after)
                        .ConfigureAwait(false);
                    await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", SubscriptionKinds.PlanTrait, after.Id, null, before, after)
                        .ConfigureAwait(false);
                    written.Add(after);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);

        if (request.ApplyToExistingCompanies == true && values.Count > 0)
        {
            var traits = values.ToDictionary(v => v.Definition.Name, v => v.Json, StringComparer.Ordinal);
            foreach (var company in await store.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false))
            {
                if (company.BasePlanId == planId || company.AddOnIds.Contains(planId))
                {
                    await companies.WriteSyncedAsync(
                        scope,
                        company.Id,
                        (_, before, now) => before is null ? null : before with { Traits = TraitChange.Merge(before.Traits, traits), UpdatedAt = now },
                        cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return written;
    }

    /// <summary>The trait's value as the company trait holds it: a number, a boolean or text, by the definition's type.</summary>
    private static JsonElement Json(ComparableType type, string value, string field)
    {
        switch (type)
        {
            case ComparableType.Int:
                if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    Errors.BadRequest(field, "must be a number for this trait");
                }

                return JsonSerializer.SerializeToElement(number);
            case ComparableType.Bool:
                if (!bool.TryParse(value, out var flag))
                {
                    Errors.BadRequest(field, "must be true or false for this trait");
                }

                return JsonSerializer.SerializeToElement(flag);
            default:
                return JsonSerializer.SerializeToElement(value);
        }
    }
}
