using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// The real server listening on a free loopback port (Kestrel, not the in-memory test server) so that a real browser
/// can reach it, with the same database, fake clock (<see cref="TollgateFactory.Time"/>), services and
/// <see cref="TollgateFactory.Api()"/> as every other functional test; pages come from the run's one headless Chromium
/// (<see cref="SharedChromium"/>). One per test class (a class fixture): <see cref="SqliteConsoleServer"/>, <see cref="PostgresConsoleServer"/>.
/// </summary>
/// <remarks>
/// Each page comes in a browser context of its own (its own cookies), so two pages are two people. Clients of the
/// server made with <c>CreateClient(options)</c> must pass <c>BaseAddress = BaseUrl</c>: the options' default,
/// http://localhost, is the in-memory server's address.
/// </remarks>
public abstract class ConsoleServer : TollgateFactory
{
    private readonly List<IBrowserContext> _contexts = [];
    private IBrowser? _browser;

    protected ConsoleServer(StoreKind store)
        : base(store)
    {
        // Port 0: the system picks a free port on 127.0.0.1; the factory reads the one Kestrel bound.
        UseKestrel(0);
    }

    /// <summary>
    /// Sign-in attempts allowed per client address per minute. Every page of a browser test comes from 127.0.0.1, so the
    /// fixture lifts the limit; the test of the limit itself sets a small one.
    /// </summary>
    protected virtual int SignInAttemptsPerMinute => 100_000;

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl => ClientOptions.BaseAddress;

    /// <summary>The run's browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("InitializeAsync starts the browser.");

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        // The browser first: without one, the class fails at once with the install hint, before any database is made.
        _browser = await SharedChromium.GetAsync();
        await base.InitializeAsync();
        if (BaseUrl.IsLoopback is false || BaseUrl.Port == 0)
        {
            throw new InvalidOperationException($"The server should listen on a loopback port, and listens on {BaseUrl}.");
        }
    }

    /// <summary>A new person at a laptop (1280 × 800): a fresh browser context, relative URLs resolved against <see cref="BaseUrl"/>.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(ScreenSize.Desktop, phone: false);

    /// <summary>A new person on a phone (390 × 844, touch, the page's viewport meta tag honoured).</summary>
    public Task<IPage> NewPhonePageAsync() => NewPageAsync(ScreenSize.Phone, phone: true);

    /// <summary>A new browser context of the given size, and a page in it.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize viewport, bool phone)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            ViewportSize = viewport,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "en-US",
            TimezoneId = "UTC",
            ColorScheme = ColorScheme.Light,
        });
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        // Playwright's 30 s default is for one page on an idle machine; here the whole suite shares two cores, and a
        // page that loads in 0.2 s alone has taken over 30 s while every test class was starting. A page that never
        // loads still fails, after a minute.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);

        Screenshots.Register(context, Store);
        BrowserEventLog.Attach(context, $"{GetType().Name} {Store}");
        return await context.NewPageAsync();
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);

        // A source added after the base settings overrides them.
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tollgate:Console:SignInAttemptsPerMinute"] = SignInAttemptsPerMinute.ToString(CultureInfo.InvariantCulture),
        }));
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(_ => new SlowRequestLog($"{GetType().Name} {Store}")));
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        // The browser is the run's; the class closes only the contexts (the people) it opened.
        IBrowserContext[] contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        _browser = null;
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
