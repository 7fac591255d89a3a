using System.Text;
using Tollgate.Engine.Json;

namespace Tollgate.Engine;

/// <summary>
/// The rules engine's entry points. <see cref="CompiledFlag.Check"/> is the fast path; <see cref="CheckFlagJson"/>
/// stands in for Schematic's WASM (<c>RulesEngineJS.checkFlag</c>), JSON in and out.
/// </summary>
public static class RulesEngine
{
    /// <summary>
    /// Checks a flag given as JSON, exactly as Schematic's rules-engine WASM does (spec §3.11): camelCase, snake_case or
    /// mixed keys; explicit nulls as absent; the result as the WASM writes it. <paramref name="now"/> pins the clock
    /// (it only decides <c>featureUsageResetAt</c>); it defaults to the current time.
    /// </summary>
    /// <exception cref="EngineInputException">
    /// The input is outside what the WASM accepts (where the WASM throws): malformed JSON, a missing required field, a
    /// decimal in an integer field, an unknown rule type, comparable type, entity type or period. The message names
    /// the field, e.g. <c>missing field `accountId`</c>. Negative preflight usage is not an exception: as in the WASM,
    /// the result carries <c>err</c>.
    /// </exception>
    public static string CheckFlagJson(string flagJson, string? companyJson, string? userJson, string? optionsJson = null, DateTimeOffset? now = null)
    {
        var (flag, company, user, options) = ParseInputs(flagJson, companyJson, userJson, optionsJson);
        var result = flag.Check(company, user, options, now ?? DateTimeOffset.UtcNow);
        return ResultWriter.Write(result);
    }

    /// <summary>The compiled inputs of <see cref="CheckFlagJson"/>, read exactly as it reads them.</summary>
    internal static (CompiledFlag Flag, CompiledCompany? Company, CompiledUser? User, CheckOptions? Options) ParseInputs(
        string flagJson, string? companyJson, string? userJson, string? optionsJson)
    {
        ArgumentNullException.ThrowIfNull(flagJson);
        var flag = Parse(flagJson, FlagReader.ReadFlag);
        var company = companyJson is null ? null : ParseOptional(companyJson, CompanyReader.ReadCompany);
        var user = userJson is null ? null : ParseOptional(userJson, CompanyReader.ReadUser);
        var options = optionsJson is null ? null : ParseOptional(optionsJson, OptionsReader.ReadOptions);
        return (
            CompiledFlag.Compile(flag),
            company is null ? null : CompiledCompany.Compile(company),
            user is null ? null : CompiledUser.Compile(user),
            options);
    }

    private static T Parse<T>(string json, ElementReader<T> read)
    {
        var input = new JsonInput(Encoding.UTF8.GetBytes(json));
        var value = read(ref input);
        input.ExpectEnd();
        return value;
    }

    /// <summary>The JSON text <c>null</c> means absent, like an omitted argument.</summary>
    private static T? ParseOptional<T>(string json, ElementReader<T> read)
        where T : class
    {
        var input = new JsonInput(Encoding.UTF8.GetBytes(json));
        if (input.IsNull)
        {
            return null;
        }

        var value = read(ref input);
        input.ExpectEnd();
        return value;
    }
}
