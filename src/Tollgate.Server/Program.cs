try
{
    return await Tollgate.Server.TollgateServer.RunAsync(args).ConfigureAwait(false);
}
catch (Tollgate.Server.Startup.StartupRefusal refusal)
{
    // A configuration the server will not start with: one line that says what to change, not a stack trace.
    await Console.Error.WriteLineAsync("Tollgate did not start: " + refusal.Message).ConfigureAwait(false);
    return 2;
}

/// <summary>The entry point; public so that WebApplicationFactory&lt;Program&gt; can start the server in tests.</summary>
public partial class Program;
