namespace WsOrleans.Routing;

/// <summary>Why a route request did or did not produce a backend.</summary>
public enum RouteOutcome
{
    /// <summary>A backend was chosen and the connection reserved on it.</summary>
    Routed,

    /// <summary>The pool is not known to the cluster.</summary>
    UnknownPool,

    /// <summary>The pool has no backends.</summary>
    NoBackends,

    /// <summary>Every backend is unhealthy.</summary>
    AllUnhealthy,

    /// <summary>Every backend is draining or disabled.</summary>
    AllUnavailable,

    /// <summary>Every routable backend is at its connection cap.</summary>
    AllFull,
}
