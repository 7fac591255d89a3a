using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing;

/// <summary>A Checkout session Tollgate created: for which company, with which Stripe customer.</summary>
internal sealed record CreatedCheckoutSession(string SessionId, string CompanyId, string CustomerId);

/// <summary>
/// The Checkout sessions Tollgate created (<c>stripe_checkout_sessions</c>). A completed session links its customer to
/// a company only when it is recorded here: its <c>client_reference_id</c> is set by whoever creates the session, and
/// on sessions Tollgate did not create (Payment Links, pricing tables) that is the buyer, through the page's URL. The
/// record is written only after Stripe answered a session made with the environment's secret Stripe key, for the
/// company a Tollgate secret-key caller named; a buyer can neither create a session with a given id nor write here.
/// </summary>
internal sealed class CreatedCheckoutSessions(Database database, TimeProvider time)
{
    /// <summary>
    /// Records a session Stripe answered. A retry Stripe answered from its idempotency cache brings the same session
    /// again, made for the same company and customer: recording it twice changes nothing.
    /// </summary>
    public async Task RecordAsync(string environmentId, CreatedCheckoutSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                INSERT INTO stripe_checkout_sessions (environment_id, session_id, company_id, customer_id, created_at)
                VALUES (@environmentId, @SessionId, @CompanyId, @CustomerId, @at)
                ON CONFLICT (environment_id, session_id) DO NOTHING
                """,
                new { environmentId, session.SessionId, session.CompanyId, session.CustomerId, at = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The session if Tollgate created it in this environment, else null.</summary>
    public async Task<CreatedCheckoutSession?> FindAsync(string environmentId, string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<(string CompanyId, string CustomerId)?>(
            new CommandDefinition(
                "SELECT company_id, customer_id FROM stripe_checkout_sessions WHERE environment_id = @environmentId AND session_id = @sessionId",
                new { environmentId, sessionId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is { } found ? new CreatedCheckoutSession(sessionId, found.CompanyId, found.CustomerId) : null;
    }
}
