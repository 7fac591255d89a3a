// Run Tollgate (dotnet run --project src/Tollgate.Server), put its secret key in appsettings.json, then:
//   curl -H "X-Company: initech" http://localhost:5080/search?q=x    (Enterprise: 200, one api_call tracked)
//   curl -H "X-Company: globex" http://localhost:5080/sso/config     (Free: 402 with the plans that include SSO)
await AspNetGate.GateApp.Build(args).RunAsync().ConfigureAwait(false);
