namespace Tollgate.Server.WebConsole.Pages;

/// <summary>The overview: where a signed-in user lands.</summary>
public sealed class IndexModel : ConsolePageModel
{
    public void OnGet()
    {
    }
}
