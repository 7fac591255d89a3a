namespace Tollgate.Engine.Model;

/// <summary>What a condition tests. Unknown types are accepted and never match (the WASM's behaviour).</summary>
public enum ConditionType
{
    /// <summary>A condition type this engine does not know; it never matches.</summary>
    Unknown,

    /// <summary>The company's id is (not) one of the resource ids.</summary>
    Company,

    /// <summary>The user's id is (not) one of the resource ids.</summary>
    User,

    /// <summary>One of the company's plans is (not) among the resource ids.</summary>
    Plan,

    /// <summary>The company's base plan compared with the resource ids.</summary>
    BasePlan,

    /// <summary>One of the company's plan versions is (not) among the resource ids.</summary>
    PlanVersion,

    /// <summary>One of the company's billing products is (not) among the resource ids.</summary>
    BillingProduct,

    /// <summary>A company or user trait compared with a value or another trait.</summary>
    Trait,

    /// <summary>A company usage metric compared with a limit.</summary>
    Metric,

    /// <summary>A company credit balance compared with the cost of one use.</summary>
    Credit,
}
