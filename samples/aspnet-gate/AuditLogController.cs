using Microsoft.AspNetCore.Mvc;
using Tollgate.Client.AspNetCore;

namespace AspNetGate;

/// <summary>A controller gated by the attribute: the audit log is part of SSO's plans.</summary>
[ApiController]
[Route("audit-log")]
[RequireEntitlement("sso")]
public sealed class AuditLogController : ControllerBase
{
    /// <summary>The latest entries.</summary>
    [HttpGet]
    public IActionResult Get() => Ok(new { entries = Array.Empty<string>() });
}
