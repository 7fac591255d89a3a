using Tollgate.Engine.Json;
using Tollgate.Engine.Model;

namespace Tollgate.Engine;

/// <summary>
/// Reads one flag, company or user from rules-engine JSON (spec §3.1; snake_case or camelCase, explicit nulls as
/// absent), exactly as <see cref="RulesEngine.CheckFlagJson"/> reads its inputs: for a replica that receives the
/// entities over Schematic's datastream and compiles them itself.
/// </summary>
public static class EntityJson
{
    /// <summary>Reads a flag.</summary>
    /// <exception cref="EngineInputException">The JSON is not a flag the engine accepts; the message names the field.</exception>
    public static Flag ReadFlag(ReadOnlySpan<byte> utf8)
    {
        var input = new JsonInput(utf8);
        var flag = FlagReader.ReadFlag(ref input);
        input.ExpectEnd();
        return flag;
    }

    /// <summary>Reads a company.</summary>
    /// <exception cref="EngineInputException">The JSON is not a company the engine accepts; the message names the field.</exception>
    public static Company ReadCompany(ReadOnlySpan<byte> utf8)
    {
        var input = new JsonInput(utf8);
        var company = CompanyReader.ReadCompany(ref input);
        input.ExpectEnd();
        return company;
    }

    /// <summary>Reads a user.</summary>
    /// <exception cref="EngineInputException">The JSON is not a user the engine accepts; the message names the field.</exception>
    public static User ReadUser(ReadOnlySpan<byte> utf8)
    {
        var input = new JsonInput(utf8);
        var user = CompanyReader.ReadUser(ref input);
        input.ExpectEnd();
        return user;
    }
}
