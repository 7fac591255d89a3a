using Tollgate.LoadTools;

// Helpers of bench/load/run-ingest-load.sh (see there):
//   raw-insert <sqlite|postgres> <connection string> <rows> <rows per transaction>
//       appends the rows the load test sends straight into a fresh, migrated database with the server's own insert
//       code, without HTTP, parsing, deduplication or counters; prints "RESULT {json}"
//   count-events <sqlite|postgres> <connection string>
//       prints "RESULT {json}" with the rows of the event log and the all-time usage counters
//   visibility <base url> <api key> <samples>
//       tracks one event at a time for the demo company acme and measures from the 200 of POST /batch until a check
//       of api-calls shows it; prints "RESULT {json}"
//   webhook-latency <sqlite|postgres> <connection string> <samples>
//       runs the server in-process beside a fake Stripe and measures from the 200 of a webhook delivery that moves the
//       company to another plan until a check shows it, against the same move made with PUT /company-plans (see
//       bench/load/run-webhook-latency.sh); prints "RESULT {json}"
return args switch
{
    ["raw-insert", var store, var connection, var rows, var perTransaction, "keyed"] =>
        await RawInsert.RunAsync(store, connection, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), int.Parse(perTransaction, System.Globalization.CultureInfo.InvariantCulture), keyed: true),
    ["raw-insert", var store, var connection, var rows, var perTransaction] =>
        await RawInsert.RunAsync(store, connection, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), int.Parse(perTransaction, System.Globalization.CultureInfo.InvariantCulture)),
    ["count-events", var store, var connection] => await RawInsert.CountAsync(store, connection),
    ["visibility", var baseUrl, var apiKey, var samples] =>
        await Visibility.RunAsync(new Uri(baseUrl), apiKey, int.Parse(samples, System.Globalization.CultureInfo.InvariantCulture)),
    ["webhook-latency", var store, var connection, var samples] =>
        await WebhookLatency.RunAsync(store, connection, int.Parse(samples, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: raw-insert <sqlite|postgres> <connection> <rows> <per-transaction> | count-events <sqlite|postgres> <connection> | visibility <url> <key> <samples> | webhook-latency <sqlite|postgres> <connection> <samples>");
    return 2;
}
