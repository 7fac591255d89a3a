namespace Tollgate.Server.Environments;

/// <summary>A console user acting through the console (Schematic's <c>app_user</c> actor): the audit log names them.</summary>
public sealed record ActingUser(string Id, string Name);
