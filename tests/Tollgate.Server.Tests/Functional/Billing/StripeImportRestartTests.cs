using System.Data.Common;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Stripe;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>An import that a stop interrupts (its status still says running) is resumed by the next start on the database, from its last page.</summary>
public sealed class StripeImportRestartTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task AnImportInterruptedByAStopResumesAtTheNextStart(StoreKind store)
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(store);
        var first = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: false);
        var api = await first.NewEnvironmentAsync();
        var account = fake.NewAccount();
        var stripe = account.CreateClient();
        await stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Pro" });
        for (var i = 0; i < 3; i++)
        {
            await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = $"Customer {i}", Metadata = new() { ["id"] = $"customer-{i}" } });
        }

        // Stripe hangs on the customers: the import has saved the products and waits there when the node stops.
        fake.Faults.Enqueue(Fault.Latency(TimeSpan.FromMinutes(5)), "/v1/customers", times: 1, method: "GET");
        (await api.PutAsync("/billing/stripe/connection", new Dictionary<string, object?> { ["secret_key"] = account.ApiKey, ["webhook_secret"] = "whsec_import_restart_0123" }))
            .ShouldBe(HttpStatusCode.OK);
        await BillingScenario.EventuallyAsync(() => Task.FromResult(fake.Faults.Pending == 0), "the import reaches the customers");
        await first.DisposeAsync();
        using (var interrupted = JsonDocument.Parse(await ImportStatusAsync(store, database.Name, api.EnvironmentId!)))
        {
            Assert.Equal(("running", "customers"), (interrupted.RootElement.GetProperty("status").GetString(), interrupted.RootElement.GetProperty("phase").GetString()));
        }

        await using var second = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: false);
        var onSecond = second.Api(api.Key);
        await BillingScenario.EventuallyAsync(
            async () => (await onSecond.GetAsync("/billing/stripe/import")).Data.GetProperty("status").GetString() == "completed",
            "the second start resumes the import to its end");
        var progress = (await onSecond.GetAsync("/billing/stripe/import")).Data;
        Assert.Equal(3, progress.GetProperty("counts").GetProperty("customers").GetInt64());
        Assert.Equal(3, (await onSecond.GetAsync("/companies/count")).Data.GetProperty("count").GetInt32());
    }

    /// <summary>The import's status document as the database holds it (no node running).</summary>
    private static async Task<string> ImportStatusAsync(StoreKind store, string database, string environmentId)
    {
        await using DbConnection connection = store == StoreKind.Postgres
            ? new NpgsqlConnection(TestPostgres.ConnectionStringOf(database))
            : new SqliteConnection($"Data Source={Path.Combine(Path.GetTempPath(), database + ".db")}");
        await connection.OpenAsync();
        return await connection.QuerySingleAsync<string>(
            "SELECT data FROM stripe_sync_status WHERE environment_id = @environmentId AND area = 'import'", new { environmentId });
    }
}
