using Microsoft.AspNetCore.Mvc;
using Tollgate.Server.Notifications;
using Tollgate.Server.Requests;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.WebConsole.Pages.Operations;

/// <summary>
/// Outgoing webhooks: the environment's endpoints (add, test, pause, resume, remove) and the deliveries to them with
/// a manual retry, each through <see cref="WebhookService"/> exactly as <c>/webhooks</c> and <c>/webhook-events</c>
/// call it. An endpoint's signing secret is shown once, when it is made; afterwards only its last characters.
/// </summary>
[ConsoleWrites(ConsoleArea.Operations)]
internal sealed class WebhooksModel(WebhookService webhooks) : ConsolePageModel
{
    /// <summary>Deliveries on a page.</summary>
    public const int PageSize = 20;

    /// <summary>The request types offered when adding an endpoint, sorted (every type <c>/webhooks</c> accepts).</summary>
    public static readonly IReadOnlyList<string> RequestTypes = [.. WebhookRequestTypes.All.Order(StringComparer.Ordinal)];

    /// <summary>The endpoint this answer made, whose secret it shows (the only time it is shown).</summary>
    public WebhookRecord? Made { get; private set; }

    /// <summary>The environment's endpoints, oldest first.</summary>
    public IReadOnlyList<WebhookRecord> Endpoints { get; private set; } = [];

    /// <summary>The page of deliveries, newest first.</summary>
    public IReadOnlyList<WebhookEventResponse> Deliveries { get; private set; } = [];

    /// <summary>Only deliveries to this endpoint (<c>?webhook=</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "webhook")]
    public string? WebhookFilter { get; set; }

    /// <summary>The deliveries page, 0-based.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageIndex { get; set; }

    /// <summary>Whether an older page of deliveries may exist.</summary>
    public bool HasMore { get; private set; }

    /// <summary>The add form.</summary>
    [BindProperty]
    public EndpointInput Add { get; set; } = new();

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        WebhookRecord? made = null;
        var ok = await TryAsync(
                async () => made = await webhooks.CreateAsync(
                    Console.Scope, new CreateWebhookRequest(Add.Name, Add.Url, Add.RequestTypes, null, null), cancellationToken).ConfigureAwait(false),
                AddFields).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (ok)
        {
            // Answered here, not after a redirect: the secret must not travel in a cookie or be shown twice.
            Made = made;
            Add = new EndpointInput();
            ModelState.Clear();
            Response.Headers.CacheControl = "no-store";
        }

        return Page();
    }

    public Task<IActionResult> OnPostTestAsync(string webhookId, CancellationToken cancellationToken)
    {
        TestWebhookResponse? outcome = null;
        return WriteAsync(
            async () => outcome = await webhooks.TestAsync(Console.Scope, webhookId, null, cancellationToken).ConfigureAwait(false),
            () => outcome!.Success
                ? ($"Test notice delivered (HTTP {outcome.ResponseCode}).", "ok")
                : ($"Test notice not delivered: {outcome.FailureReason ?? "HTTP " + outcome.ResponseCode}.", "bad"),
            cancellationToken);
    }

    public Task<IActionResult> OnPostStatusAsync(string webhookId, string status, CancellationToken cancellationToken) =>
        WriteAsync(
            () => webhooks.UpdateAsync(Console.Scope, webhookId, new UpdateWebhookRequest(null, null, null, null, null, status), cancellationToken),
            () => (status == WebhookStatuses.Active ? "Endpoint resumed: new notices are delivered to it again." : "Endpoint paused: no notice is delivered to it until you resume it.", "ok"),
            cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(string webhookId, CancellationToken cancellationToken) =>
        WriteAsync(
            async () =>
            {
                if (!await webhooks.DeleteAsync(Console.Scope, webhookId, cancellationToken).ConfigureAwait(false))
                {
                    Errors.NotFound("webhook");
                }
            },
            () => ("Endpoint removed.", "ok"),
            cancellationToken);

    public Task<IActionResult> OnPostRetryAsync(string deliveryId, CancellationToken cancellationToken) =>
        WriteAsync(
            () => webhooks.RetryAsync(Console.Scope, deliveryId, cancellationToken),
            () => ("Delivery queued to be sent again.", "ok"),
            cancellationToken);

    /// <summary>The query string of the delivery filter and page <paramref name="page"/>.</summary>
    public string Query(int page)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(WebhookFilter))
        {
            parts.Add("webhook=" + Uri.EscapeDataString(WebhookFilter));
        }

        if (page > 0)
        {
            parts.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    /// <summary>The endpoint a delivery went to, by id (null when it was removed since).</summary>
    public WebhookRecord? EndpointOf(string webhookId) => Endpoints.FirstOrDefault(e => e.Id == webhookId);

    /// <summary>What the page shows of a secret once it was made: its last four characters.</summary>
    public static string SecretHint(string secret) => secret.Length <= 4 ? "…" : "…" + secret[^4..];

    private async Task<IActionResult> WriteAsync(Func<Task> write, Func<(string Message, string Kind)> done, CancellationToken cancellationToken)
    {
        if (await TryAsync(write).ConfigureAwait(false))
        {
            var (message, kind) = done();
            SetFlash(message, kind);
            return RedirectToPage(new { webhook = WebhookFilter });
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        PageIndex = Math.Max(0, PageIndex);
        Endpoints = await webhooks.ListAsync(Console.Scope, null, new Paging(Paging.MaxLimit, 0), cancellationToken).ConfigureAwait(false);
        WebhookFilter = Endpoints.Any(e => e.Id == WebhookFilter) ? WebhookFilter : null;
        var (rows, _) = await webhooks.EventsAsync(Console.Scope, WebhookFilter, null, new Paging(PageSize + 1, PageIndex * PageSize), cancellationToken).ConfigureAwait(false);
        HasMore = rows.Count > PageSize;
        Deliveries = [.. rows.Take(PageSize)];
    }

    private static readonly Dictionary<string, string> AddFields = new(StringComparer.Ordinal)
    {
        ["name"] = "Add.Name",
        ["url"] = "Add.Url",
        ["request_types"] = "Add.RequestTypes",
    };

    /// <summary>The add form.</summary>
    public sealed class EndpointInput
    {
        /// <summary>A name for people.</summary>
        public string? Name { get; set; }

        /// <summary>Where deliveries are posted (https, or http to a local address).</summary>
        public string? Url { get; set; }

        /// <summary>The request types the endpoint receives.</summary>
        public List<string> RequestTypes { get; set; } = [];
    }
}
