package dev.jeton.model;

/** Why the engine refused a request; each dialect maps these to its own wire shape. */
public enum Reason {
    INVALID_REQUEST,
    INVALID_CLIENT,
    INVALID_GRANT,
    INVALID_SCOPE,
    INVALID_TARGET,
    INVALID_TOKEN,
    UNAUTHORIZED_CLIENT,
    UNSUPPORTED_GRANT,
    UNSUPPORTED_TOKEN_TYPE,
    ACCESS_DENIED,
    INSUFFICIENT_SCOPE,
    NOT_FOUND,
    CONFLICT,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    METHOD_NOT_ALLOWED,
    RATE_LIMITED,
    UNAVAILABLE,
    INTERNAL
}
