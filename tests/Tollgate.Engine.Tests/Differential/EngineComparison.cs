using System.Text.RegularExpressions;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>The ways the engine under test can disagree with Schematic's engine on one scenario.</summary>
internal enum DisagreementKind
{
    /// <summary>Both answered, but the result JSON is not byte-identical.</summary>
    DifferentResult,

    /// <summary>The oracle answered; Tollgate threw <see cref="EngineInputException"/>.</summary>
    RejectedValidInput,

    /// <summary>The oracle rejected the input; Tollgate answered.</summary>
    AcceptedInvalidInput,

    /// <summary>Both rejected, but Tollgate's message does not name the missing field the oracle named.</summary>
    WrongMissingField,

    /// <summary>Tollgate threw something other than <see cref="EngineInputException"/>.</summary>
    UnexpectedException,
}

internal sealed record Disagreement(ScenarioInput Scenario, DisagreementKind Kind, string Expected, string Actual);

/// <summary>Runs Tollgate's engine on each scenario and compares its answer with the oracle's, byte for byte.</summary>
internal static partial class EngineComparison
{
    public static List<Disagreement> Compare(IReadOnlyList<ScenarioInput> scenarios, IReadOnlyList<OracleAnswer> answers)
    {
        if (scenarios.Count != answers.Count)
        {
            throw new InvalidOperationException($"{scenarios.Count} scenarios but {answers.Count} oracle answers.");
        }

        var disagreements = new List<Disagreement>();
        for (var i = 0; i < scenarios.Count; i++)
        {
            if (scenarios[i].Id != answers[i].Id)
            {
                throw new InvalidOperationException($"Oracle answer {i} is for '{answers[i].Id}', expected '{scenarios[i].Id}'.");
            }

            if (CompareOne(scenarios[i], answers[i]) is { } disagreement)
            {
                disagreements.Add(disagreement);
            }
        }

        return disagreements;
    }

    private static Disagreement? CompareOne(ScenarioInput scenario, OracleAnswer answer)
    {
        string actual;
        try
        {
            // Feed the bytes the oracle's engine received; lines the runner could not parse have none, and keep the raw text.
            var inputs = answer.Inputs ?? new EngineInputs(scenario.FlagJson, scenario.CompanyJson, scenario.UserJson, scenario.OptionsJson);
            actual = RulesEngine.CheckFlagJson(inputs.Flag, inputs.Company, inputs.User, inputs.Options, scenario.Now);
        }
        catch (EngineInputException e)
        {
            return CompareRejection(scenario, answer, e.Message);
        }
#pragma warning disable CA1031 // Any other exception is exactly what the harness must report, not crash on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new(scenario, DisagreementKind.UnexpectedException, Describe(answer), $"{e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
        }

        if (answer.ResultJson is null)
        {
            return new(scenario, DisagreementKind.AcceptedInvalidInput, Describe(answer), actual);
        }

        return string.Equals(actual, answer.ResultJson, StringComparison.Ordinal)
            ? null
            : new(scenario, DisagreementKind.DifferentResult, answer.ResultJson, actual);
    }

    private static Disagreement? CompareRejection(ScenarioInput scenario, OracleAnswer answer, string message)
    {
        var actual = "EngineInputException: " + message;
        if (answer.Error is null)
        {
            return new(scenario, DisagreementKind.RejectedValidInput, answer.ResultJson!, actual);
        }

        var missing = MissingFieldPattern().Match(answer.Error);
        return missing.Success && !message.Contains($"`{missing.Groups[1].Value}`", StringComparison.Ordinal)
            ? new(scenario, DisagreementKind.WrongMissingField, Describe(answer), actual)
            : null;
    }

    private static string Describe(OracleAnswer answer) => answer.Error is null ? answer.ResultJson! : "rejected: " + answer.Error;

    [GeneratedRegex("missing field `([^`]+)`")]
    private static partial Regex MissingFieldPattern();
}
