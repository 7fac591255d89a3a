using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Meters;
using Tollgate.Server.Billing.Webhooks;
using Tollgate.Server.Requests;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Operations;

/// <summary>
/// The environment's Stripe connection (state, last import), connect and disconnect, the webhook inbox with retry, and
/// the meter sync with requeue — each through the Billing area's services exactly as <c>/billing/stripe/...</c> and
/// <c>/billing/meters/requeue</c> call them. Secrets typed here go to <see cref="StripeConnections"/> and are never
/// rendered back (only their hints).
/// </summary>
[ConsoleWrites(ConsoleArea.Operations)]
internal sealed class StripeModel(
    StripeConnections connections,
    StripeImporter importer,
    WebhookInbox inbox,
    WebhookWorker worker,
    MeterSync meters,
    TimeProvider time) : ConsolePageModel
{
    /// <summary>Inbox rows on a page.</summary>
    public const int PageSize = 20;

    /// <summary>The inbox statuses a filter can name.</summary>
    public static readonly IReadOnlyList<string> Statuses = [WebhookInbox.Failed, WebhookInbox.Pending, WebhookInbox.Done, WebhookInbox.Ignored];

    /// <summary>The connection, or null when the environment is not connected.</summary>
    public StripeConnectionResponse? Connection { get; private set; }

    /// <summary>The last (or running) import, if any.</summary>
    public StripeImportProgress? Import { get; private set; }

    /// <summary>The meter sync's status.</summary>
    public MeterSyncStatus Meters { get; private set; } = new();

    /// <summary>Counts of received events by status, the newest, and the newest failure.</summary>
    internal InboxSummary? Inbox { get; private set; }

    /// <summary>The page of received events.</summary>
    internal IReadOnlyList<WebhookEventResponse> Events { get; private set; } = [];

    /// <summary>Only events of this status (<c>?status=</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>The inbox page, 0-based.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageIndex { get; set; }

    /// <summary>Whether an older page of events may exist.</summary>
    public bool HasMore { get; private set; }

    /// <summary>The connect form.</summary>
    [BindProperty]
    public ConnectInput Connect { get; set; } = new();

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostConnectAsync(CancellationToken cancellationToken)
    {
        var request = new ConnectStripeRequest
        {
            SecretKey = Blank(Connect.SecretKey),
            WebhookSecret = Blank(Connect.WebhookSecret),
            Import = Connect.Import,
        };
        if (await TryAsync(
                async () =>
                {
                    var (response, firstConnect) = await connections.ConnectAsync(Console.Scope, request, cancellationToken).ConfigureAwait(false);
                    if (request.Import ?? firstConnect)
                    {
                        await importer.StartAsync(response.EnvironmentId, cancellationToken).ConfigureAwait(false);
                    }
                },
                ConnectFields).ConfigureAwait(false))
        {
            SetFlash(Connect.Import ? "Connected to Stripe. The import runs in the background; its progress shows below." : "Stripe connection saved.");
            return RedirectToPage();
        }

        // The typed secrets are never written back into the form.
        Connect = new ConnectInput { Import = Connect.Import };
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    public Task<IActionResult> OnPostImportAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            async () =>
            {
                var (response, _) = await connections.ConnectAsync(Console.Scope, new ConnectStripeRequest { Import = true }, cancellationToken).ConfigureAwait(false);
                await importer.StartAsync(response.EnvironmentId, cancellationToken).ConfigureAwait(false);
            },
            "Import started: products, prices, customers, then subscriptions.",
            cancellationToken);

    public Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        StripeCheckResponse? check = null;
        return WriteAsync(
            async () => check = await connections.CheckAsync(Console.Scope, cancellationToken).ConfigureAwait(false),
            () => check!.Ok ? ($"Stripe accepts the key (account {check.AccountName ?? check.AccountId}).", "ok") : ($"Stripe refused the key: {check.Error}", "bad"),
            cancellationToken);
    }

    public Task<IActionResult> OnPostDisconnectAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            async () =>
            {
                if (!await connections.DisconnectAsync(Console.Scope, cancellationToken).ConfigureAwait(false))
                {
                    throw new RequestException(StatusCodes.Status404NotFound, "This environment is not connected to Stripe.");
                }
            },
            "Disconnected from Stripe. What was imported stays; webhooks wait until you connect again.",
            cancellationToken);

    public Task<IActionResult> OnPostRetryAsync(string eventId, CancellationToken cancellationToken) =>
        WriteAsync(
            async () =>
            {
                var environmentId = Console.Environment.Id;
                if (!await inbox.RequeueAsync(environmentId, eventId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                {
                    Errors.NotFound("webhook event");
                }

                worker.Wake(environmentId);
            },
            $"Event {eventId} queued to be processed again.",
            cancellationToken);

    public Task<IActionResult> OnPostRequeueAsync(string status, CancellationToken cancellationToken)
    {
        long requeued = 0;
        return WriteAsync(
            async () =>
            {
                var rowStatus = Validate.OneOf(status, "status", ("skipped", "skipped"), ("failed", "failed"));
                var environmentId = Console.Environment.Id;
                await connections.RequireAsync(environmentId, cancellationToken).ConfigureAwait(false);
                requeued = await meters.RequeueAsync(environmentId, rowStatus, cancellationToken).ConfigureAwait(false)
                    ?? throw new RequestException(StatusCodes.Status409Conflict, "Another node is sending this environment's usage right now; try again in a moment.");
            },
            () => (requeued == 0 ? "Nothing to send again." : $"{requeued} usage row{(requeued == 1 ? "" : "s")} queued for the next sync.", "ok"),
            cancellationToken);
    }

    /// <summary>The query string of the inbox filter and page <paramref name="page"/>.</summary>
    public string Query(int page)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(Status))
        {
            parts.Add("status=" + Uri.EscapeDataString(Status));
        }

        if (page > 0)
        {
            parts.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private Task<IActionResult> WriteAsync(Func<Task> write, string done, CancellationToken cancellationToken) =>
        WriteAsync(write, () => (done, "ok"), cancellationToken);

    private async Task<IActionResult> WriteAsync(Func<Task> write, Func<(string Message, string Kind)> done, CancellationToken cancellationToken)
    {
        if (await TryAsync(write).ConfigureAwait(false))
        {
            var (message, kind) = done();
            SetFlash(message, kind);
            return RedirectToPage(new { status = Status });
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var environmentId = Console.Environment.Id;
        PageIndex = Math.Max(0, PageIndex);
        Status = Statuses.Contains(Status) ? Status : null;
        Connection = await connections.DescribeAsync(Console.Scope, cancellationToken).ConfigureAwait(false);
        Import = Connection?.Status.TryGetValue(StripeSyncStatus.Import, out var import) == true ? import.Deserialize<StripeImportProgress>() : null;
        Meters = await meters.ReadStatusAsync(environmentId, cancellationToken).ConfigureAwait(false);
        Inbox = await inbox.SummarizeAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var rows = await inbox.ListAsync(environmentId, Status, PageSize + 1, PageIndex * PageSize, cancellationToken).ConfigureAwait(false);
        HasMore = rows.Count > PageSize;
        Events = [.. rows.Take(PageSize).Select(WebhookEventResponse.From)];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static readonly Dictionary<string, string> ConnectFields = new(StringComparer.Ordinal)
    {
        ["secret_key"] = "Connect.SecretKey",
        ["webhook_secret"] = "Connect.WebhookSecret",
    };

    /// <summary>The connect form: the secrets are write-only.</summary>
    public sealed class ConnectInput
    {
        /// <summary>A secret or restricted Stripe API key (required on the first connect; blank keeps the stored one).</summary>
        public string? SecretKey { get; set; }

        /// <summary>The webhook endpoint's signing secret (same rule).</summary>
        public string? WebhookSecret { get; set; }

        /// <summary>Whether to import the account after connecting.</summary>
        public bool Import { get; set; } = true;
    }
}
