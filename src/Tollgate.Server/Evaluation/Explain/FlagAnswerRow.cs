namespace Tollgate.Server.Evaluation.Explain;

/// <summary>One flag of "check as this company for every flag": the answer and the rule that decided it.</summary>
public sealed record FlagAnswerRow(ExplainedFlag Flag, CheckFlagResponse Answer, ExplainedRule? DecidingRule);

/// <summary>Every flag checked as one company (and user).</summary>
public sealed record CompanyFlagAnswers(ExplainOutcome Outcome, ExplainedEntity? Company, ExplainedEntity? User, IReadOnlyList<FlagAnswerRow> Flags);
