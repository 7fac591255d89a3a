using Tollgate.Engine;
using Tollgate.Engine.Explanations;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Evaluation.Explain;

/// <summary>
/// "Check as…": a flag checked as a company (and user), with the deciding rule and every condition explained. The
/// company, user and flag are the very views a check uses (<see cref="EnvironmentRuntime"/>), and the answer is the
/// engine's own check (<see cref="CompiledFlag.Explain"/>), so it is the answer <see cref="CheckService"/> gives.
/// For people, not for applications: it allocates freely and reads names from the store.
/// </summary>
internal sealed class ExplainService(RuntimeRegistry runtimes, ResourceStore store, TimeProvider time)
{
    /// <summary>Explains one flag. Never throws for a missing flag, company or user: the outcome says what was missing.</summary>
    public async Task<CheckExplanation> ExplainAsync(
        RequestScope scope, string flagKey, EntityReference? company, EntityReference? user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.CompiledFlags.TryGetValue(flagKey, out var flag))
        {
            return new CheckExplanation { Outcome = ExplainOutcome.FlagNotFound, FlagKey = flagKey };
        }

        var subject = await ResolveAsync(runtime, company, user, cancellationToken).ConfigureAwait(false);
        var explainedFlag = FlagOf(catalog, flag);
        if (subject.Missing is { } missing)
        {
            var reason = missing == ExplainOutcome.CompanyNotFound ? CheckService.CompanyNotFound : CheckService.UserNotFound;
            return new CheckExplanation { Outcome = missing, FlagKey = flagKey, Flag = explainedFlag, Answer = CheckService.Unanswered(flag, reason) };
        }

        var explanation = flag.Explain(subject.Company?.Compiled, subject.User?.Compiled, options: null, time.GetUtcNow());
        var names = await NamesAsync(catalog, scope.EnvironmentId, explanation.Rules, cancellationToken).ConfigureAwait(false);
        var flagRuleIds = catalog.FlagsById.TryGetValue(flag.Id, out var record) ? record.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal) : [];
        return new CheckExplanation
        {
            Outcome = ExplainOutcome.Answered,
            FlagKey = flagKey,
            Flag = explainedFlag,
            Answer = CheckResponseMapper.ToResponse(explanation.Result),
            Company = subject.Company is { } c ? Entity(c.Record.Id, c.Record.Name, c.Record.Keys) : null,
            User = subject.User is { } u ? Entity(u.Record.Id, u.Record.Name, u.Record.Keys) : null,
            Rules = [.. explanation.Rules.Select(r => Rule(r, names, flagRuleIds))],
        };
    }

    /// <summary>Every flag of the environment checked as one company (and user), by key, with the deciding rule of each.</summary>
    public async Task<CompanyFlagAnswers> ExplainAllAsync(RequestScope scope, EntityReference? company, EntityReference? user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var subject = await ResolveAsync(runtime, company, user, cancellationToken).ConfigureAwait(false);
        var companyEntity = subject.Company is { } c ? Entity(c.Record.Id, c.Record.Name, c.Record.Keys) : null;
        var userEntity = subject.User is { } u ? Entity(u.Record.Id, u.Record.Name, u.Record.Keys) : null;
        if (subject.Missing is { } missing)
        {
            return new CompanyFlagAnswers(missing, companyEntity, userEntity, []);
        }

        var now = time.GetUtcNow();
        var rows = new List<FlagAnswerRow>(catalog.FlagsInOrder.Count);
        var noNames = new ExplainNames(catalog, Empty, Empty, Empty);
        foreach (var record in catalog.FlagsInOrder)
        {
            var flag = catalog.CompiledFlags[record.Key];
            var explanation = flag.Explain(subject.Company?.Compiled, subject.User?.Compiled, options: null, now);
            var flagRuleIds = record.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var decider = explanation.DecidingRule is { } d ? Rule(d, noNames, flagRuleIds) : null;
            rows.Add(new FlagAnswerRow(FlagOf(catalog, flag), CheckResponseMapper.ToResponse(explanation.Result), decider));
        }

        return new CompanyFlagAnswers(ExplainOutcome.Answered, companyEntity, userEntity, rows);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static ExplainedFlag FlagOf(CatalogSnapshot catalog, CompiledFlag flag)
    {
        var record = catalog.FlagsById.GetValueOrDefault(flag.Id);
        var feature = record?.FeatureId is { } featureId ? catalog.Features.GetValueOrDefault(featureId) : null;
        return new ExplainedFlag(flag.Id, flag.Key, record?.Name ?? flag.Key, flag.DefaultValue, feature?.Id, feature?.Name);
    }

    private static ExplainedEntity Entity(string id, string? name, IReadOnlyDictionary<string, string> keys) =>
        new(id, string.IsNullOrWhiteSpace(name) ? keys.Values.FirstOrDefault() ?? id : name, keys);

    private static ExplainedRule Rule(RuleExplanation rule, ExplainNames names, HashSet<string> flagRuleIds) => new()
    {
        Id = rule.Rule.Id,
        Name = rule.Rule.Name,
        RuleType = WireFormat.NameOf(rule.Rule.RuleType),
        Kind = Kind(rule.Rule.RuleType),
        Source = rule.Source switch
        {
            RuleSource.Company => "company",
            RuleSource.User => "user",
            _ => "flag",
        },
        IsFlagRule = rule.Source == RuleSource.Flag && flagRuleIds.Contains(rule.Rule.Id),
        Priority = rule.Rule.Priority,
        Value = rule.Rule.Value,
        Position = rule.Position,
        Reached = rule.Reached,
        Matched = rule.Matched,
        Decided = rule.Decided,
        Unconditional = rule.Unconditional,
        Conditions = [.. rule.Conditions.Select(c => ConditionDescriber.Describe(c, names))],
        ConditionGroups = [.. rule.ConditionGroups.Select(g => new ExplainedConditionGroup(g.Holds, [.. g.Conditions.Select(c => ConditionDescriber.Describe(c, names))]))],
    };

    /// <summary>The rule type in words.</summary>
    public static string Kind(RuleType type) => type switch
    {
        RuleType.GlobalOverride => "Global override",
        RuleType.CompanyOverride => "Company override",
        RuleType.PlanEntitlement => "Plan entitlement",
        RuleType.CompanyOverrideUsageExceeded => "Override limit reached",
        RuleType.PlanEntitlementUsageExceeded => "Plan limit reached",
        RuleType.Standard => "Targeting rule",
        _ => "Default rule",
    };

    /// <summary>Reads the names of the companies, users and credit types the conditions mention (at most the ones shown).</summary>
    private async Task<ExplainNames> NamesAsync(CatalogSnapshot catalog, string environmentId, IReadOnlyList<RuleExplanation> rules, CancellationToken cancellationToken)
    {
        var conditions = rules.SelectMany(r => r.Conditions.Concat(r.ConditionGroups.SelectMany(g => g.Conditions))).ToList();
        HashSet<string> Ids(ConditionType type) => conditions
            .Where(c => c.Condition.ConditionType == type)
            .SelectMany(c => c.Condition.ResourceIds.Take(ExplainNames.Shown).Concat(c.ActualIds))
            .ToHashSet(StringComparer.Ordinal);

        var companies = await store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, Ids(ConditionType.Company), cancellationToken).ConfigureAwait(false);
        var users = await store.GetManyAsync<UserRecord>(environmentId, ResourceKinds.User, Ids(ConditionType.User), cancellationToken).ConfigureAwait(false);
        var creditIds = conditions.Select(c => c.Condition.CreditId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var credits = await store.GetManyAsync<CreditTypeRecord>(environmentId, CreditKinds.CreditType, creditIds, cancellationToken).ConfigureAwait(false);
        return new ExplainNames(
            catalog,
            companies.ToDictionary(c => c.Id, c => Entity(c.Id, c.Name, c.Keys).Name, StringComparer.Ordinal),
            users.ToDictionary(u => u.Id, u => Entity(u.Id, u.Name, u.Keys).Name, StringComparer.Ordinal),
            credits.ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal));
    }

    /// <summary>Finds the company, then the user, as a check does: the first one named and not found is the outcome.</summary>
    private static async Task<Subject> ResolveAsync(EnvironmentRuntime runtime, EntityReference? company, EntityReference? user, CancellationToken cancellationToken)
    {
        CompanyView? companyView = null;
        UserView? userView = null;
        if (company is { IsEmpty: false })
        {
            companyView = company.Keys is { Count: > 0 } keys
                ? await runtime.FindCompanyAsync(keys, cancellationToken).ConfigureAwait(false)
                : await runtime.FindCompanyByIdAsync(company.Id!, cancellationToken).ConfigureAwait(false);
            if (companyView is null)
            {
                return new Subject(null, null, ExplainOutcome.CompanyNotFound);
            }
        }

        if (user is { IsEmpty: false })
        {
            userView = user.Keys is { Count: > 0 } keys
                ? await runtime.FindUserAsync(keys, cancellationToken).ConfigureAwait(false)
                : await runtime.FindUserByIdAsync(user.Id!, cancellationToken).ConfigureAwait(false);
            if (userView is null)
            {
                return new Subject(companyView, null, ExplainOutcome.UserNotFound);
            }
        }

        return new Subject(companyView, userView, null);
    }

    private sealed record Subject(CompanyView? Company, UserView? User, ExplainOutcome? Missing);
}
