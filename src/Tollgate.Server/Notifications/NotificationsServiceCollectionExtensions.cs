namespace Tollgate.Server.Notifications;

/// <summary>Registers outgoing webhooks: the outbox writers call, the worker that delivers it, and the endpoints' service.</summary>
internal static class NotificationsServiceCollectionExtensions
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration("Tollgate:Webhooks").Validate(
            o => o.MaxAttempts >= 1 && o.DisableAfterFailures >= 1 && o.PollInterval > TimeSpan.Zero && o.FirstRetryDelay > TimeSpan.Zero
                && o.MaxRetryDelay >= o.FirstRetryDelay && o.RequestTimeout > TimeSpan.Zero && o.DefaultWarningPercent is > 0 and < 100
                && o.DeliveredRetention is null or { Ticks: > 0 } && o.CleanupInterval > TimeSpan.Zero && o.CleanupBatchSize is > 0 and <= 100_000,
            "Tollgate:Webhooks: MaxAttempts and DisableAfterFailures must be at least 1, the delays positive (MaxRetryDelay at least FirstRetryDelay), DefaultWarningPercent from 1 to 99, DeliveredRetention and CleanupInterval positive, CleanupBatchSize from 1 to 100,000")
            .ValidateOnStart();
        services.AddHttpClient(WebhookSender.ClientName, (sp, http) => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false });
        services.AddSingleton<WebhookWakeSignal>();
        services.AddSingleton<INoticeOutbox, NoticeOutbox>();
        services.AddSingleton<PricingTiers>();
        services.AddSingleton<UsageThresholds>();
        services.AddSingleton<CreditThresholds>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookWrites>();
        services.AddSingleton<WebhookEventLog>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<NoticeBodies>();
        services.AddSingleton<NoticeDispatcher>();
        services.AddSingleton<WebhookEventRetention>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        return services;
    }
}
