namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// A webhook notice's dedupe key is needed only while its period can still be counted in: <c>expires_at</c> is when
    /// that period ends (null: never, as for all-time limits and credit grants), and the worker's cleanup deletes keys
    /// a retention span past it, found by the index. Keys written before this keep a null expiry (they stay).
    /// </summary>
    private static string Version35NoticeKeyExpiry(SqlDialect dialect) => """
        ALTER TABLE webhook_notice_keys ADD COLUMN expires_at BIGINT NULL;
        CREATE INDEX webhook_notice_keys_expiry ON webhook_notice_keys (expires_at);
        """;
}
