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
    INTERNAL,
    /** The client took longer than allowed to send its request (408). */
    REQUEST_TIMEOUT,
    /** The request's header section is larger than allowed (431). */
    HEADERS_TOO_LARGE,
    /** The request line is longer than allowed (414). */
    URI_TOO_LONG
}
