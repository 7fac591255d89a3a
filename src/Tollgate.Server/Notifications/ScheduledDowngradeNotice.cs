namespace Tollgate.Server.Notifications;

/// <summary>The stored body of <c>company.scheduled_downgrade</c>: the company and its schedule as written.</summary>
internal sealed record ScheduledDowngradeNotice(string CompanyId, Companies.ScheduledDowngrade Scheduled);
